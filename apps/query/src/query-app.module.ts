import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  AdminTokenGuard,
  KafkaConnection,
  KafkaHealthIndicator,
  kafkaSettingsFromEnv,
  MetricsController,
  MetricsRegistry,
  MongoConnection,
  MongoHealthIndicator,
  mongoSettingsFromEnv,
} from '@of/platform';
import { DocsPortalController } from './docs/docs-portal.controller';
import { ProjectionsAdminController } from './admin/projections-admin.controller';
import { CustomerHistoryController } from './customer-history/customer-history.controller';
import { FulfillmentQueueController } from './fulfillment-queue/fulfillment-queue.controller';
import { HealthController } from './health/health.controller';
import { InventoryQueryController } from './inventory-status/inventory.controller';
import { OrdersQueryController } from './order-summary/orders.controller';
import { ProjectionsService } from './projections/projections.service';
import { queryConfigFromEnv } from './query-config';

@Module({
  imports: [TerminusModule],
  controllers: [
    HealthController,
    OrdersQueryController,
    InventoryQueryController,
    FulfillmentQueueController,
    CustomerHistoryController,
    ProjectionsAdminController,
    DocsPortalController,
    MetricsController,
  ],
  providers: [
    {
      provide: KafkaConnection,
      useFactory: () => new KafkaConnection(kafkaSettingsFromEnv('order-fulfillment-query')),
    },
    { provide: MongoConnection, useFactory: () => new MongoConnection(mongoSettingsFromEnv()) },
    {
      provide: ProjectionsService,
      inject: [KafkaConnection, MongoConnection, MetricsRegistry],
      useFactory: (kafka: KafkaConnection, mongo: MongoConnection, metrics: MetricsRegistry) => {
        // Read and checked once: a malformed setting stops the start, naming it.
        const config = queryConfigFromEnv();
        return new ProjectionsService(kafka, mongo, config.consumerGroup, metrics, config.stallMs);
      },
    },
    { provide: MetricsRegistry, useFactory: () => new MetricsRegistry('query') },
    KafkaHealthIndicator,
    MongoHealthIndicator,
    AdminTokenGuard,
  ],
})
export class QueryAppModule {}

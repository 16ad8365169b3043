import { DocsPortalController } from './docs/docs-portal.controller';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  AdminTokenGuard,
  KafkaConnection,
  KafkaHealthIndicator,
  kafkaSettingsFromEnv,
  MongoConnection,
  MongoHealthIndicator,
  mongoSettingsFromEnv,
  stringFromEnv,
} from '@of/platform';
import { ProjectionsAdminController } from './admin/projections-admin.controller';
import { CustomerHistoryController } from './customer-history/customer-history.controller';
import { FulfillmentQueueController } from './fulfillment-queue/fulfillment-queue.controller';
import { HealthController } from './health/health.controller';
import { InventoryQueryController } from './inventory-status/inventory.controller';
import { OrdersQueryController } from './order-summary/orders.controller';
import { ProjectionsService } from './projections/projections.service';

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
  ],
  providers: [
    {
      provide: KafkaConnection,
      useFactory: () => new KafkaConnection(kafkaSettingsFromEnv('order-fulfillment-query')),
    },
    { provide: MongoConnection, useFactory: () => new MongoConnection(mongoSettingsFromEnv()) },
    {
      provide: ProjectionsService,
      inject: [KafkaConnection, MongoConnection],
      useFactory: (kafka: KafkaConnection, mongo: MongoConnection) =>
        new ProjectionsService(
          kafka,
          mongo,
          stringFromEnv(process.env, 'KAFKA_CONSUMER_GROUP', 'order-fulfillment-query'),
        ),
    },
    KafkaHealthIndicator,
    MongoHealthIndicator,
    AdminTokenGuard,
  ],
})
export class QueryAppModule {}

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
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLetterStore } from './dead-letters/dead-letter-store';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { ConsoleController } from './console/console.controller';
import { DocsPortalController } from './docs/docs-portal.controller';
import { ProjectionsAdminController } from './admin/projections-admin.controller';
import { CustomerHistoryController } from './customer-history/customer-history.controller';
import { FulfillmentQueueController } from './fulfillment-queue/fulfillment-queue.controller';
import { HealthController } from './health/health.controller';
import { InventoryQueryController } from './inventory-status/inventory.controller';
import { OrdersQueryController } from './order-summary/orders.controller';
import { ProjectionsService } from './projections/projections.service';
import { ServingReadModels } from './projections/serving-read-models';
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
    DeadLettersController,
    DocsPortalController,
    ConsoleController,
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
      inject: [KafkaConnection, MongoConnection, DeadLetterStore, MetricsRegistry],
      useFactory: (
        kafka: KafkaConnection,
        mongo: MongoConnection,
        letters: DeadLetterStore,
        metrics: MetricsRegistry,
      ) => {
        // Read and checked once: a malformed setting stops the start, naming it.
        const config = queryConfigFromEnv();
        return new ProjectionsService(kafka, mongo, letters, config.consumerGroup, metrics, config.stallMs);
      },
    },
    // What the query endpoints read: the generation the projections serve now.
    {
      provide: ServingReadModels,
      inject: [ProjectionsService],
      useFactory: (projections: ProjectionsService) => projections.readModels,
    },
    {
      provide: DeadLetterStore,
      inject: [MongoConnection],
      useFactory: (mongo: MongoConnection) => new DeadLetterStore(mongo.db),
    },
    { provide: MetricsRegistry, useFactory: () => new MetricsRegistry('query') },
    DeadLettersService,
    KafkaHealthIndicator,
    MongoHealthIndicator,
    AdminTokenGuard,
  ],
})
export class QueryAppModule {}

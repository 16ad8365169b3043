import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  AdminTokenGuard,
  KafkaConnection,
  KafkaHealthIndicator,
  kafkaSettingsFromEnv,
  MetricsController,
  MetricsRegistry,
} from '@of/platform';
import { AdminController } from './admin/admin.controller';
import { Clock } from './command-handling/clock';
import { CommandRunner } from './command-handling/command-runner';
import { IdempotencyStore } from './command-handling/idempotency.store';
import { type CommandConfig, commandConfigFromEnv } from './command-config';
import { RecoveryState } from './command-handling/recovery-state';
import { CommitMetrics } from './event-store/commit-metrics';
import { SnapshotMetrics } from './event-store/snapshot-metrics';
import { EventStore } from './event-store/event-store';
import { HistoryReader } from './event-store/history-reader';
import { KafkaEventPublisher } from './event-store/kafka-event-publisher';
import { LmdbStateStore } from './event-store/lmdb-state-store';
import { SnapshotWriter } from './event-store/snapshot-writer';
import { RecoveryService } from './event-store/recovery.service';
import { HealthController } from './health/health.controller';
import { InventoryCommandHandler } from './inventory/inventory-command.handler';
import { InventoryController } from './inventory/inventory.controller';
import { OrderCommandHandler } from './orders/order-command.handler';
import { OrdersController } from './orders/orders.controller';

/** The provider of the app's CommandConfig. */
export const COMMAND_CONFIG = 'CommandConfig';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController, OrdersController, InventoryController, AdminController, MetricsController],
  providers: [
    // Read and checked once: a malformed setting stops the start, naming it.
    { provide: COMMAND_CONFIG, useFactory: () => commandConfigFromEnv() },
    {
      provide: KafkaConnection,
      useFactory: () => new KafkaConnection(kafkaSettingsFromEnv('order-fulfillment-command')),
    },
    {
      provide: KafkaEventPublisher,
      inject: [KafkaConnection, COMMAND_CONFIG],
      useFactory: (kafka: KafkaConnection, config: CommandConfig) =>
        new KafkaEventPublisher(kafka, {
          transactionalId: config.transactionalId,
          timeoutMs: config.commitTimeoutMs,
          producers: config.producers,
        }),
    },
    {
      provide: LmdbStateStore,
      inject: [KafkaConnection, COMMAND_CONFIG],
      useFactory: ({ settings: { topics } }: KafkaConnection, config: CommandConfig) =>
        LmdbStateStore.open(config.stateDir, `${topics.orderEvents} ${topics.inventoryEvents}`),
    },
    {
      provide: EventStore,
      inject: [KafkaEventPublisher, KafkaConnection, MetricsRegistry, LmdbStateStore, COMMAND_CONFIG],
      useFactory: (
        publisher: KafkaEventPublisher,
        kafka: KafkaConnection,
        metrics: MetricsRegistry,
        state: LmdbStateStore,
        config: CommandConfig,
      ) =>
        new EventStore(publisher, kafka.settings.topics, {
          stateStore: state,
          observer: new CommitMetrics(metrics),
          lingerMs: config.lingerMs,
        }),
    },
    {
      provide: SnapshotWriter,
      inject: [KafkaConnection, LmdbStateStore, COMMAND_CONFIG, MetricsRegistry],
      useFactory: (kafka: KafkaConnection, state: LmdbStateStore, config: CommandConfig, metrics: MetricsRegistry) =>
        new SnapshotWriter(kafka, state, {
          topic: config.snapshotTopic,
          transactionalId: `${config.transactionalId}-snapshots`,
          intervalMs: config.snapshotIntervalMs,
          observer: new SnapshotMetrics(metrics),
        }),
    },
    {
      provide: HistoryReader,
      inject: [KafkaConnection],
      useFactory: (kafka: KafkaConnection) => new HistoryReader(kafka),
    },
    { provide: MetricsRegistry, useFactory: () => new MetricsRegistry('command', { commands: true }) },
    {
      provide: IdempotencyStore,
      inject: [LmdbStateStore, COMMAND_CONFIG],
      useFactory: (state: LmdbStateStore, config: CommandConfig) =>
        new IdempotencyStore({
          onSweep: (cutoff) => void state.forgetResponses(cutoff),
          ttlMs: config.idempotencyTtlMs,
        }),
    },
    Clock,
    RecoveryState,
    RecoveryService,
    CommandRunner,
    OrderCommandHandler,
    InventoryCommandHandler,
    KafkaHealthIndicator,
    AdminTokenGuard,
  ],
})
export class CommandAppModule {}

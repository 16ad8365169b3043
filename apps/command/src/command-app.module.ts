import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  AdminTokenGuard,
  durationFromEnv,
  intFromEnv,
  KafkaConnection,
  KafkaHealthIndicator,
  kafkaSettingsFromEnv,
  MetricsController,
  MetricsRegistry,
  stringFromEnv,
} from '@of/platform';
import { AdminController } from './admin/admin.controller';
import { Clock } from './command-handling/clock';
import { CommandRunner } from './command-handling/command-runner';
import { DEFAULT_IDEMPOTENCY_TTL_MS, IdempotencyStore } from './command-handling/idempotency.store';
import { RecoveryState } from './command-handling/recovery-state';
import { CommitMetrics } from './event-store/commit-metrics';
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

/**
 * Group commit linger: Kafka's cost is per transaction far more than per
 * event, so under steady load a short wait gathers several times as many
 * commands per transaction, for less CPU per command and a shorter tail. The
 * wait ends once as many commands wait as the last transaction carried, so a
 * client that waits for each command is not slowed (docs/performance.md).
 */
const DEFAULT_LINGER_MS = 40;

/** Where the state store lives unless STATE_DIR says otherwise (a cache: deleting it costs a rebuild from Kafka). */
const DEFAULT_STATE_DIR = 'data/command-state';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController, OrdersController, InventoryController, AdminController, MetricsController],
  providers: [
    {
      provide: KafkaConnection,
      useFactory: () => new KafkaConnection(kafkaSettingsFromEnv('order-fulfillment-command')),
    },
    {
      provide: KafkaEventPublisher,
      inject: [KafkaConnection],
      useFactory: (kafka: KafkaConnection) =>
        new KafkaEventPublisher(kafka, {
          transactionalId: stringFromEnv(process.env, 'KAFKA_TRANSACTIONAL_ID', 'order-fulfillment-command'),
          timeoutMs: intFromEnv(process.env, 'KAFKA_COMMIT_TIMEOUT_MS', 5000, { min: 100, max: 120000 }),
          producers: intFromEnv(process.env, 'KAFKA_TRANSACTIONAL_PRODUCERS', 2, { min: 1, max: 8 }),
        }),
    },
    {
      provide: LmdbStateStore,
      inject: [KafkaConnection],
      useFactory: ({ settings: { topics } }: KafkaConnection) =>
        LmdbStateStore.open(
          stringFromEnv(process.env, 'STATE_DIR', DEFAULT_STATE_DIR),
          `${topics.orderEvents} ${topics.inventoryEvents}`,
        ),
    },
    {
      provide: EventStore,
      inject: [KafkaEventPublisher, KafkaConnection, MetricsRegistry, LmdbStateStore],
      useFactory: (
        publisher: KafkaEventPublisher,
        kafka: KafkaConnection,
        metrics: MetricsRegistry,
        state: LmdbStateStore,
      ) =>
        new EventStore(publisher, kafka.settings.topics, {
          stateStore: state,
          observer: new CommitMetrics(metrics),
          lingerMs: intFromEnv(process.env, 'KAFKA_COMMIT_LINGER_MS', DEFAULT_LINGER_MS, { min: 0, max: 1000 }),
        }),
    },
    {
      provide: SnapshotWriter,
      inject: [KafkaConnection, LmdbStateStore],
      useFactory: (kafka: KafkaConnection, state: LmdbStateStore) => {
        const transactionalId = stringFromEnv(process.env, 'KAFKA_TRANSACTIONAL_ID', 'order-fulfillment-command');
        return new SnapshotWriter(kafka, state, {
          topic: stringFromEnv(process.env, 'STATE_SNAPSHOT_TOPIC', `${transactionalId}-state`),
          transactionalId: `${transactionalId}-snapshots`,
          intervalMs: durationFromEnv(process.env, 'SNAPSHOT_INTERVAL', 60_000, {
            minMs: 1000,
            maxMs: 24 * 60 * 60 * 1000,
          }),
        });
      },
    },
    {
      provide: HistoryReader,
      inject: [KafkaConnection],
      useFactory: (kafka: KafkaConnection) => new HistoryReader(kafka),
    },
    { provide: MetricsRegistry, useFactory: () => new MetricsRegistry('command', { commands: true }) },
    {
      provide: IdempotencyStore,
      inject: [LmdbStateStore],
      useFactory: (state: LmdbStateStore) =>
        new IdempotencyStore({
          onSweep: (cutoff) => void state.forgetResponses(cutoff),
          ttlMs: durationFromEnv(process.env, 'IDEMPOTENCY_TTL', DEFAULT_IDEMPOTENCY_TTL_MS, {
            minMs: 1000,
            maxMs: 30 * 24 * 60 * 60 * 1000,
          }),
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

import { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@of/platform';
import type { EventRecord } from './event-publisher';
import type { CommitObserver } from './group-commit';

/** Kafka transaction time and size, and events appended, in Prometheus form. */
export class CommitMetrics implements CommitObserver {
  private readonly duration: Histogram<'outcome'>;
  private readonly batchCommands: Histogram;
  private readonly batchEvents: Histogram;
  private readonly appended: Counter<'topic'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.duration = new Histogram({
      name: 'kafka_transaction_duration_seconds',
      help: 'Time of one Kafka transaction (send and commit of one group-commit batch), by outcome',
      labelNames: ['outcome'],
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.batchCommands = new Histogram({
      name: 'kafka_transaction_commands',
      help: 'Commands committed together in one Kafka transaction (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers,
    });
    this.batchEvents = new Histogram({
      name: 'kafka_transaction_events',
      help: 'Events in one Kafka transaction',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048],
      registers,
    });
    this.appended = new Counter({
      name: 'events_appended_total',
      help: 'Events durably appended (committed to Kafka), by topic',
      labelNames: ['topic'],
      registers,
    });
  }

  transaction(
    outcome: 'committed' | 'failed',
    commands: number,
    records: readonly EventRecord[],
    seconds: number,
  ): void {
    this.duration.observe({ outcome }, seconds);
    if (outcome !== 'committed') return;
    this.batchCommands.observe(commands);
    this.batchEvents.observe(records.length);
    const perTopic = new Map<string, number>();
    for (const record of records) perTopic.set(record.topic, (perTopic.get(record.topic) ?? 0) + 1);
    for (const [topic, count] of perTopic) this.appended.inc({ topic }, count);
  }
}

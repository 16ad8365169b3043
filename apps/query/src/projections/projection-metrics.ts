import { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@of/platform';
import type { PartitionLag } from './consumer-lag';

/** Projection apply time, events applied, dead letters and consumer lag, in Prometheus form. */
export class ProjectionMetrics {
  private readonly applyDuration: Histogram<'read_model'>;
  private readonly applied: Counter<'read_model'>;
  private readonly deadLetters: Counter<'reason'>;
  private readonly batchFailures: Counter;

  constructor(metrics: MetricsRegistry, lag: () => Promise<PartitionLag[]>) {
    const registers = [metrics.registry];
    this.applyDuration = new Histogram({
      name: 'projection_apply_duration_seconds',
      help: 'Time to apply one batch of events to one read model (read, fold, write)',
      labelNames: ['read_model'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.applied = new Counter({
      name: 'projection_events_applied_total',
      help: 'Events applied to a read model (redeliveries skipped by version are not counted)',
      labelNames: ['read_model'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'dead_letters_total',
      help: 'Events sent to a dead-letter topic, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.batchFailures = new Counter({
      name: 'projection_batch_failures_total',
      help: 'Batches that failed (MongoDB or Kafka errors) and were retried',
      registers,
    });
    new Gauge({
      name: 'consumer_lag',
      help: 'Messages not yet processed by the live consumer group, per partition',
      labelNames: ['topic', 'partition'],
      registers,
      async collect() {
        this.reset();
        for (const partition of await lag().catch(() => [])) {
          this.set({ topic: partition.topic, partition: String(partition.partition) }, partition.lag);
        }
      },
    });
  }

  readModelApplied(readModel: string, events: number, seconds: number): void {
    this.applyDuration.observe({ read_model: readModel }, seconds);
    if (events > 0) this.applied.inc({ read_model: readModel }, events);
  }

  deadLettered(reason: string): void {
    this.deadLetters.inc({ reason });
  }

  batchFailed(): void {
    this.batchFailures.inc();
  }
}

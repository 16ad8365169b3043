import { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@of/platform';

/** What a snapshot round reports when it ends. */
export interface SnapshotObserver {
  round(outcome: 'written' | 'failed', records: number, seconds: number): void;
}

/** Snapshot rounds, their time and the records they wrote, in Prometheus form. */
export class SnapshotMetrics implements SnapshotObserver {
  private readonly duration: Histogram<'outcome'>;
  private readonly records: Counter;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.duration = new Histogram({
      name: 'snapshot_round_duration_seconds',
      help: 'Time of one snapshot round (read the changed entries, send them and the manifest, commit), by outcome',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.records = new Counter({
      name: 'snapshot_records_total',
      help: 'State store entries written to the snapshot topic by committed rounds',
      registers,
    });
  }

  round(outcome: 'written' | 'failed', records: number, seconds: number): void {
    this.duration.observe({ outcome }, seconds);
    if (outcome === 'written') this.records.inc(records);
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, HealthIndicatorService } from '@nestjs/terminus';
import { KafkaConnection, KafkaHealthIndicator } from '@of/platform';
import { RecoveryState } from '../command-handling/recovery-state';
import { EventStore } from '../event-store/event-store';
import { SnapshotWriter } from '../event-store/snapshot-writer';

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly kafkaHealth: KafkaHealthIndicator,
    private readonly kafka: KafkaConnection,
    private readonly recovery: RecoveryState,
    private readonly store: EventStore,
    private readonly snapshots: SnapshotWriter,
  ) {}

  /** Readiness: 200 only when Kafka answers and memory has been rebuilt from it. */
  @Get(['', 'ready'])
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.kafkaHealth.check(this.kafka.healthAdmin),
      () => {
        const session = this.indicators.check('recovery');
        const details = {
          events: this.store.eventCount,
          aggregates: this.store.streamCount,
          inMemory: this.store.residentCount,
          versionGaps: this.store.gaps.length,
          lastReplay: this.recovery.lastReplay,
          lastSnapshot: this.snapshots.last,
        };
        return this.recovery.ready
          ? session.up(details)
          : session.down({ ...details, message: this.recovery.error ?? 'replaying the event topics' });
      },
    ]);
  }

  /** Liveness: the process answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

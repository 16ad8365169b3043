import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { KafkaConnection, KafkaHealthIndicator, MongoConnection, MongoHealthIndicator } from '@of/platform';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafkaHealth: KafkaHealthIndicator,
    private readonly mongoHealth: MongoHealthIndicator,
    private readonly kafka: KafkaConnection,
    private readonly mongo: MongoConnection,
  ) {}

  /** Readiness: 200 only when both the event source and the read store answer. */
  @Get()
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.kafkaHealth.check(this.kafka.healthAdmin),
      () => this.mongoHealth.check(this.mongo.db),
    ]);
  }

  /** Liveness: the process answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

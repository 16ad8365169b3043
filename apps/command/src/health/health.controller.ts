import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { KafkaConnection, KafkaHealthIndicator } from '@of/platform';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafkaHealth: KafkaHealthIndicator,
    private readonly kafka: KafkaConnection,
  ) {}

  /** Readiness: 200 only when the app can take commands. */
  @Get()
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.kafkaHealth.check(this.kafka.healthAdmin)]);
  }

  /** Liveness: the process answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, HealthIndicatorService } from '@nestjs/terminus';
import { KafkaConnection, KafkaHealthIndicator, MongoConnection, MongoHealthIndicator } from '@of/platform';
import { ProjectionsService } from '../projections/projections.service';

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly kafkaHealth: KafkaHealthIndicator,
    private readonly mongoHealth: MongoHealthIndicator,
    private readonly kafka: KafkaConnection,
    private readonly mongo: MongoConnection,
    private readonly projections: ProjectionsService,
  ) {}

  /** Readiness: 200 only when Kafka and MongoDB answer and the projections consume. */
  @Get(['', 'ready'])
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.kafkaHealth.check(this.kafka.healthAdmin),
      () => this.mongoHealth.check(this.mongo.db),
      () => {
        const session = this.indicators.check('projections');
        const details = { generation: this.projections.generation, lastError: this.projections.lastError };
        return this.projections.consuming ? session.up(details) : session.down(details);
      },
    ]);
  }

  /** Liveness: the process answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

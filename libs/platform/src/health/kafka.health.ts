import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Admin } from 'kafkajs';
import { withTimeout } from './with-timeout';

@Injectable()
export class KafkaHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  async check(admin: Admin, key = 'kafka'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    try {
      const cluster = await withTimeout(admin.describeCluster(), 2000, 'Kafka');
      return session.up({ brokers: cluster.brokers.length });
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}

import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Db } from 'mongodb';
import { withTimeout } from './with-timeout';

@Injectable()
export class MongoHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  async check(db: Db, key = 'mongodb'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    try {
      await withTimeout(db.command({ ping: 1 }), 2000, 'MongoDB');
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}

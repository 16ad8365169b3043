import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { createKafka } from './kafka.factory';
import type { KafkaSettings } from './kafka.settings';

/** One Kafka client per process, with admin clients for topics and for health checks. */
@Injectable()
export class KafkaConnection implements OnApplicationShutdown {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** Fails fast instead of retrying, so a probe never outlives its timeout. */
  readonly healthAdmin: Admin;

  constructor(readonly settings: KafkaSettings) {
    this.kafka = createKafka(settings);
    this.admin = this.kafka.admin();
    this.healthAdmin = createKafka(settings, { connectionTimeout: 1000, retry: { retries: 0 } }).admin();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.admin.disconnect(), this.healthAdmin.disconnect()]);
  }
}

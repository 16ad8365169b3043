import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { createKafka } from './kafka.factory';
import type { KafkaSettings } from './kafka.settings';

/** One Kafka client per process, with an admin client for topics and health checks. */
@Injectable()
export class KafkaConnection implements OnApplicationShutdown {
  readonly kafka: Kafka;
  readonly admin: Admin;

  constructor(readonly settings: KafkaSettings) {
    this.kafka = createKafka(settings);
    this.admin = this.kafka.admin();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
  }
}

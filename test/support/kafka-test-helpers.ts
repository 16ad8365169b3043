import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export function testKafka(clientId = 'test'): Kafka {
  return new Kafka({
    clientId,
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
}

/** A topic-name prefix no other test run uses, so runs never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

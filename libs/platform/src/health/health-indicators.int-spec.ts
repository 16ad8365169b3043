import { HealthIndicatorService } from '@nestjs/terminus';
import { logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { testKafka } from '../../../../test/support/kafka-test-helpers';
import { createKafka } from '../kafka/kafka.factory';
import { kafkaSettingsFromEnv } from '../kafka/kafka.settings';
import { KafkaHealthIndicator } from './kafka.health';
import { MongoHealthIndicator } from './mongo.health';

describe('health indicators against real servers', () => {
  const indicators = new HealthIndicatorService();

  it('reports Kafka up when the broker answers', async () => {
    const admin = testKafka().admin();
    try {
      expect(await new KafkaHealthIndicator(indicators).check(admin)).toEqual({ kafka: { status: 'up', brokers: 1 } });
    } finally {
      await admin.disconnect();
    }
  });

  it('reports Kafka down, within its timeout, when nothing listens', async () => {
    // Port 1 on loopback: nothing listens there, so connecting is refused.
    const admin = createKafka(kafkaSettingsFromEnv('it', { KAFKA_BROKERS: '127.0.0.1:1' }), {
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    const result = await new KafkaHealthIndicator(indicators).check(admin);
    expect(result.kafka.status).toBe('down');
    await admin.disconnect();
  });

  it('reports MongoDB up when the server answers a ping', async () => {
    const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
    try {
      expect(await new MongoHealthIndicator(indicators).check(client.db('health_it'))).toEqual({
        mongodb: { status: 'up' },
      });
    } finally {
      await client.close();
    }
  });

  it('reports MongoDB down when nothing listens', async () => {
    const client = new MongoClient('mongodb://127.0.0.1:1/', { serverSelectionTimeoutMS: 500 });
    const result = await new MongoHealthIndicator(indicators).check(client.db('health_it'));
    expect(result.mongodb.status).toBe('down');
    await client.close();
  });
});

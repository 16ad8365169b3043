import { randomUUID } from 'node:crypto';
import { deserializeEnvelope, type EventEnvelope, serializeEnvelope, topicNamesFromEnv } from '@of/contracts';
import { testKafka, uniqueName } from '../support/kafka-test-helpers';

const gateway = (): string => process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';

async function getJson(path: string): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(`${gateway()}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

describe('the stack through the nginx gateway', () => {
  it('answers its own health check', async () => {
    expect(await getJson('/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('reports the command app ready, with Kafka up', async () => {
    const { status, body } = await getJson('/health/command');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', info: { kafka: { status: 'up' } } });
  });

  it('reports the query app ready, with Kafka and MongoDB up', async () => {
    const { status, body } = await getJson('/health/query');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', info: { kafka: { status: 'up' }, mongodb: { status: 'up' } } });
  });

  it('passes the liveness of each app through, and answers readiness on /health/ready too', async () => {
    for (const app of ['command', 'query']) {
      expect(await getJson(`/health/${app}/live`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    }
    const port = process.env.COMMAND_PORT ?? '3001';
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);
  });

  it('answers a path parameter longer than the router takes with a problem+json 414', async () => {
    const { status, type, body } = await getJson(`/api/v1/customers/${'x'.repeat(300)}/orders`);
    expect(status).toBe(414);
    expect(type).toContain('application/problem+json');
    expect(body).toMatchObject({ status: 414, code: 'URI_TOO_LONG', success: false });
  });

  it('answers an unknown path with a problem+json 404, not an HTML page', async () => {
    const { status, type, body } = await getJson('/no-such-page');
    expect(status).toBe(404);
    expect(type).toContain('application/problem+json');
    expect(body).toMatchObject({ status: 404, success: false, code: 'NOT_FOUND' });
  });
});

describe('the event bus', () => {
  const kafka = testKafka('e2e');
  const admin = kafka.admin();

  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('has the project topics, each with several partitions', async () => {
    const names = topicNamesFromEnv();
    const { topics } = await admin.fetchTopicMetadata({ topics: [names.orderEvents, names.inventoryEvents] });
    for (const topic of topics) expect(topic.partitions.length).toBeGreaterThan(1);
  });

  it('delivers a produced event envelope back to a consumer, keyed by aggregate id', async () => {
    const topic = uniqueName('e2e-probe');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const producer = kafka.producer({ idempotent: true });
    const consumer = kafka.consumer({ groupId: uniqueName('e2e-probe-group') });
    try {
      const envelope: EventEnvelope = {
        eventId: randomUUID(),
        eventType: 'OrderCreated',
        schemaVersion: 1,
        aggregateType: 'Order',
        aggregateId: randomUUID(),
        aggregateVersion: 1,
        occurredAt: new Date().toISOString(),
        correlationId: randomUUID(),
        causationId: null,
        payload: { probe: true },
      };
      await producer.connect();
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: envelope.aggregateId, value: serializeEnvelope(envelope) }],
      });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<{ key: string; envelope: EventEnvelope }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message within 20 s')), 20000);
        void consumer.run({
          eachMessage: ({ message }) => {
            clearTimeout(timer);
            resolve({ key: message.key?.toString() ?? '', envelope: deserializeEnvelope(message.value) });
            return Promise.resolve();
          },
        });
      });
      expect(received).toEqual({ key: envelope.aggregateId, envelope });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    }
  });
});

import { randomUUID } from 'node:crypto';
import { type EventEnvelope, serializeEnvelope } from '@of/contracts';
import { testKafka } from '../../../test/support/kafka-test-helpers';
import { EventStore } from '../src/event-store/event-store';
import { ADMIN_TOKEN, isolatedTopics, readCommitted, startCommandApp } from './command-app.harness';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const stocked = (productId: string, version: number, onHand: number): EventEnvelope => ({
  eventId: randomUUID(),
  eventType: 'InventoryUpdated',
  schemaVersion: 1,
  aggregateType: 'Inventory',
  aggregateId: productId,
  aggregateVersion: version,
  occurredAt: new Date().toISOString(),
  correlationId: 'seed',
  causationId: null,
  payload: { productId, name: null, previousOnHand: 0, onHand, kind: 'SET', reason: null },
});

describe('command app recovery and shutdown', () => {
  it('finishes in-flight commands on shutdown: every 2xx is in Kafka, the rest a retryable 503', async () => {
    const topics = isolatedTopics();
    const harness = await startCommandApp(topics);
    await harness.request('PUT', '/api/v1/inventory/drain-a', { quantity: 1000 });
    const inFlight = Array.from({ length: 40 }, (_, i) =>
      harness.request('POST', '/api/v1/inventory/drain-a/adjustments', { delta: 1, reason: `restock ${i}` }),
    );
    // Close once commands are inside the app, staged and waiting for Kafka.
    const store = harness.app.get(EventStore);
    while (store.pendingCommits === 0) await new Promise((resolve) => setImmediate(resolve));
    const closing = harness.close();
    const replies = await Promise.all(inFlight);
    await closing;
    // Commands already inside the app finish; any the server had not started yet are refused
    // with a retryable 503. Nothing else.
    expect(replies.every((reply) => reply.status === 200 || reply.status === 503)).toBe(true);
    const ok = replies.filter((reply) => reply.status === 200).length;
    expect(ok).toBeGreaterThan(0);
    const events = (await readCommitted(topics)).filter((m) => m.envelope.aggregateId === 'drain-a');
    expect(events).toHaveLength(1 + ok);
    expect(events.map((m) => m.envelope.aggregateVersion)).toEqual(events.map((_, index) => index + 1));
  });

  it('reports a version gap found while replaying, and keeps the stream up to the gap', async () => {
    const topics = isolatedTopics();
    // Create the topics with a first, healthy start, then write a gapped stream behind its back.
    await (await startCommandApp(topics)).close();
    const producer = testKafka('it-gap').producer();
    await producer.connect();
    await producer.send({
      topic: topics.inventory,
      messages: [stocked('gap-a', 1, 5), stocked('gap-a', 3, 7)].map((envelope) => ({
        key: 'gap-a',
        value: serializeEnvelope(envelope),
      })),
    });
    await producer.disconnect();

    const harness = await startCommandApp(topics);
    try {
      const health = await harness.request('GET', '/health');
      expect(health.body).toMatchObject({ info: { recovery: { status: 'up', versionGaps: 1 } } });
      const product = await harness.request('GET', '/api/v1/admin/aggregates/inventory/gap-a', undefined, admin);
      expect(product.body.data).toMatchObject({ version: 1, state: { onHand: 5 } });
    } finally {
      await harness.close();
    }
  });
});

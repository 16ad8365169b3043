import { ScratchKafka } from '../../../test/support/scratch-kafka';
import { EventStore } from '../src/event-store/event-store';
import { ADMIN_TOKEN, type Harness, isolatedTopics, readCommitted, startCommandApp } from './command-app.harness';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('command app when Kafka goes away and comes back', () => {
  let kafka: ScratchKafka;
  let harness: Harness;
  const topics = isolatedTopics();
  const sharedBrokers = process.env.KAFKA_BROKERS;

  beforeAll(async () => {
    kafka = await ScratchKafka.create();
    harness = await startCommandApp(topics, { KAFKA_BROKERS: kafka.brokers, KAFKA_COMMIT_TIMEOUT_MS: '1500' });
  }, 120000);

  afterAll(async () => {
    await harness?.close();
    await kafka?.destroy();
    process.env.KAFKA_BROKERS = sharedBrokers;
  });

  it('answers 503 and records nothing while Kafka is down, and succeeds again once it is back', async () => {
    expect((await harness.request('PUT', '/api/v1/inventory/outage-a', { quantity: 10 })).status).toBe(200);

    await kafka.stop();
    const refused = await harness.request('PUT', '/api/v1/inventory/outage-a', { quantity: 20 });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body).toMatchObject({ code: 'EVENT_BUS_UNAVAILABLE', success: false });
    // Memory kept nothing Kafka did not take.
    const store = harness.app.get(EventStore);
    expect(store.read('Inventory', 'outage-a')).toMatchObject({ version: 1, state: { onHand: 10 } });
    const created = await harness.request('PUT', '/api/v1/inventory/outage-b', { quantity: 1 });
    expect(created.status).toBe(503);
    expect(store.read('Inventory', 'outage-b').version).toBe(0);
    // History is read from Kafka: while it is down, that is a 503 too, never a guess.
    const history = await harness.request('GET', '/api/v1/admin/aggregates/inventory/outage-a', undefined, admin);
    expect(history.status).toBe(503);
    expect(history.body).toMatchObject({ code: 'EVENT_BUS_UNAVAILABLE' });
    expect((await harness.request('GET', '/api/v1/admin/aggregates/inventory/outage-b', undefined, admin)).status).toBe(
      404,
    );

    await kafka.start();
    let recovered = refused;
    for (let attempt = 0; attempt < 120 && recovered.status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      recovered = await harness.request('PUT', '/api/v1/inventory/outage-a', { quantity: 20 });
    }
    expect(recovered.status).toBe(200);
    expect(recovered.body.data).toMatchObject({ version: 2, onHand: 20 });

    const events = (await readCommitted(topics)).filter((m) => m.envelope.aggregateId.startsWith('outage-'));
    expect(
      events.map((m) => [
        m.envelope.aggregateId,
        m.envelope.aggregateVersion,
        (m.envelope.payload as { onHand: number }).onHand,
      ]),
    ).toEqual([
      ['outage-a', 1, 10],
      ['outage-a', 2, 20],
    ]);
  }, 120000);
});

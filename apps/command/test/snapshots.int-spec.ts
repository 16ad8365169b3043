import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConnection, MetricsRegistry } from '@of/platform';
import { testKafka } from '../../../test/support/kafka-test-helpers';
import { ADDRESS as address } from '../../../test/support/fixtures';
import { RecoveryState } from '../src/command-handling/recovery-state';
import { EventStore } from '../src/event-store/event-store';
import { readCommitted } from '../src/event-store/event-replayer';
import { SnapshotWriter } from '../src/event-store/snapshot-writer';
import { LmdbStateStore, STATE_SCHEMA } from '../src/event-store/lmdb-state-store';
import { GENERATION_HEADER, MANIFEST_KEY, restoreSnapshot, SCHEMA_HEADER } from '../src/event-store/state-snapshot';
import { ADMIN_TOKEN, type Harness, isolatedTopics, startCommandApp, stateDirOf } from './command-app.harness';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/**
 * Snapshot rounds copy the state store to a compacted Kafka topic; a start
 * without its state store restores from there and replays only the events
 * after the snapshot's checkpoint. A snapshot of another schema is ignored.
 */
describe('state snapshots in Kafka, against a real Kafka broker', () => {
  const topics = isolatedTopics();
  const snapshotTopic = `${topics.transactionalId}-state`;
  let harness: Harness;
  let delivered = '';

  const snapshotNow = async () => {
    await harness.app.get(EventStore).drain();
    await harness.app.get(SnapshotWriter).round();
  };
  const startWithoutStore = async () => {
    await harness.close();
    rmSync(stateDirOf(topics), { recursive: true, force: true });
    harness = await startCommandApp(topics);
    return harness.app.get(RecoveryState).lastReplay?.events;
  };
  /** Every committed record of the snapshot topic, in order: its key and value (null: a removal). */
  const snapshotRecords = async () => {
    const records: { key: string; value: unknown }[] = [];
    await readCommitted(harness.app.get(KafkaConnection), {
      topics: [snapshotTopic],
      tombstones: true,
      apply: (message) => {
        const bytes = message.nullableBytes;
        records.push({ key: String(message.key), value: bytes === null ? null : JSON.parse(bytes.toString('utf8')) });
      },
    });
    return records;
  };
  const register = async (customerId: string) =>
    String(
      (
        await harness.request('POST', '/api/v1/orders', {
          customerId,
          items: [{ productId: 'snap-a', quantity: 1, price: '1.00' }],
          shippingAddress: address,
        })
      ).body.data?.orderId,
    );
  const product = async () =>
    (await harness.request('GET', '/api/v1/admin/aggregates/inventory/snap-a', undefined, admin)).body.data;

  beforeAll(async () => {
    harness = await startCommandApp(topics);
    await harness.request('PUT', '/api/v1/inventory/snap-a', { quantity: 100_000 });
    // Enough orders that one round is several MB: more than Kafka takes in one record batch.
    const register = () =>
      harness.request('POST', '/api/v1/orders', {
        customerId: 'snap-c',
        items: [{ productId: 'snap-a', quantity: 2, price: '1.00' }],
        shippingAddress: address,
      });
    for (let wave = 0; wave < 60; wave += 1) await Promise.all(Array.from({ length: 50 }, register));
    delivered = String((await register()).body.data?.orderId);
    await harness.request('POST', `/api/v1/orders/${delivered}/shipments`, {});
    await harness.request('POST', `/api/v1/orders/${delivered}/deliveries`, {});
  });
  afterAll(() => harness.close());

  it('restores a lost state store from the snapshot, replaying only the events after it', async () => {
    await snapshotNow();
    const before = await product();
    // One more command after the round: the restart must replay it from the events.
    expect(
      (await harness.request('POST', '/api/v1/inventory/snap-a/adjustments', { delta: 5, reason: 'restock' })).status,
    ).toBe(200);

    const replayed = await startWithoutStore();
    expect(replayed).toBeGreaterThanOrEqual(1);
    expect(replayed).toBeLessThanOrEqual(2); // the adjustment (and nothing the snapshot holds)
    expect(await product()).toMatchObject({
      version: Number(before?.version) + 1,
      state: { onHand: Number((before?.state as { onHand: number }).onHand) + 5 },
    });
    const cancel = await harness.request('POST', `/api/v1/orders/${delivered}/cancel`, { reason: 'late' });
    expect(cancel.body).toMatchObject({ code: 'ORDER_CANNOT_BE_CANCELLED' });
  });

  it('counts its rounds and the records they wrote in the metrics', async () => {
    const registry = harness.app.get(MetricsRegistry).registry;
    /** A sample of a metric (a histogram's `_count`, say) with these labels. */
    const value = async (name: string, sample = name, labels: Record<string, string> = {}) => {
      const metric = await registry.getSingleMetric(name)?.get();
      const found = metric?.values.find(
        (candidate) =>
          ((candidate as { metricName?: string }).metricName ?? name) === sample &&
          Object.entries(labels).every(([key, wanted]) => candidate.labels[key] === wanted),
      );
      return found?.value ?? 0;
    };
    const rounds = () =>
      value('snapshot_round_duration_seconds', 'snapshot_round_duration_seconds_count', { outcome: 'written' });
    await harness.request('PUT', '/api/v1/inventory/snap-metrics', { quantity: 1 });
    const records = await value('snapshot_records_total');
    const roundsBefore = await rounds();
    await snapshotNow();
    // One round more, carrying at least the new product's state.
    expect(await rounds()).toBe(roundsBefore + 1);
    expect(await value('snapshot_records_total')).toBeGreaterThan(records);
  });

  it('sends an order with its first offset, and no removal of a hold made and released between two rounds', async () => {
    await snapshotNow();
    const kept = await register('snap-kept'); // held over a round, then released
    await snapshotNow();
    // Held and released within one round: in two store writes, and in one.
    const brief = await register('snap-brief');
    await harness.app.get(EventStore).drain();
    const instant = await register('snap-instant');
    for (const orderId of [kept, brief, instant]) {
      expect((await harness.request('POST', `/api/v1/orders/${orderId}/cancel`, { reason: 'test' })).status).toBe(200);
    }
    const before = (await snapshotRecords()).length;
    await snapshotNow();
    const round = (await snapshotRecords()).slice(before);
    const record = (key: unknown[]) => round.filter((entry) => entry.key === JSON.stringify(key));

    expect(record(['a', 'snap-a', kept])).toEqual([{ key: JSON.stringify(['a', 'snap-a', kept]), value: null }]);
    expect(record(['a', 'snap-a', brief])).toEqual([]);
    expect(record(['a', 'snap-a', instant])).toEqual([]);
    // The order's first offset travels in its state entry, not in an index entry of its own.
    expect(record(['s', 'Order', brief])).toEqual([
      {
        key: JSON.stringify(['s', 'Order', brief]),
        value: expect.objectContaining({ v: expect.any(Number), o: expect.any(Number) }),
      },
    ]);
    expect(round.filter((entry) => entry.key.startsWith('["x"'))).toEqual([]);

    // A store restored from it reads the order's history from that offset.
    await startWithoutStore();
    expect(harness.app.get(EventStore).locate('Order', brief)?.offsets[0]).toBe(
      (record(['s', 'Order', brief])[0].value as { o: number }).o,
    );
    const history = await harness.request(
      'GET',
      `/api/v1/admin/aggregates/orders/${brief}?atVersion=1`,
      undefined,
      admin,
    );
    expect(history.status).toBe(200);
    expect(history.body.data).toMatchObject({ version: 1, state: { status: 'REGISTERED' } });
  });

  it('reads past the entries of another state schema without storing them', async () => {
    const producer = testKafka('it-snap-schema').producer();
    await producer.connect();
    const entry = (key: unknown[], headers: Record<string, string>) => ({
      key: JSON.stringify(key),
      value: JSON.stringify({ v: 1, p: 0, o: 0, s: { exists: false } }),
      headers: { [GENERATION_HEADER]: '50', ...headers },
    });
    await producer.send({
      topic: snapshotTopic,
      messages: [
        entry(['s', 'Inventory', 'snap-schema-1'], {}), // written before the header: schema 1
        entry(['s', 'Inventory', 'snap-schema-0'], { [SCHEMA_HEADER]: '0' }),
        entry(['s', 'Inventory', 'snap-schema-now'], { [SCHEMA_HEADER]: String(STATE_SCHEMA) }),
      ],
    });
    await producer.disconnect();
    const directory = mkdtempSync(join(tmpdir(), 'snap-schema-'));
    const store = await LmdbStateStore.open(directory, 'schema test');
    try {
      const outcome = await restoreSnapshot(harness.app.get(KafkaConnection), store, snapshotTopic, STATE_SCHEMA);
      expect(outcome).toMatchObject({ restored: false, reason: 'no complete snapshot', generation: 50 });
      expect(store.load('Inventory', 'snap-schema-1')).toBeNull();
      expect(store.load('Inventory', 'snap-schema-0')).toBeNull();
      expect(store.load('Inventory', 'snap-schema-now')).toMatchObject({ version: 1 });
    } finally {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('ignores a snapshot of another state schema and rebuilds from the events, in a newer generation', async () => {
    const total = harness.app.get(EventStore).eventCount;
    const producer = testKafka('it-snap-old').producer();
    await producer.connect();
    await producer.send({
      topic: snapshotTopic,
      messages: [
        {
          key: MANIFEST_KEY,
          value: JSON.stringify({ schema: 0, generation: 99, checkpoint: [], events: 0, streams: 0 }),
          headers: { [GENERATION_HEADER]: '99' },
        },
      ],
    });
    await producer.disconnect();

    expect(await startWithoutStore()).toBe(total);
    expect(harness.app.get(LmdbStateStore).generation).toBeGreaterThan(99);
    expect((await product())?.state).toMatchObject({ onHand: expect.any(Number) as number });

    // Its next round is the snapshot a later restore uses.
    await snapshotNow();
    expect(await startWithoutStore()).toBe(0);
  });
});

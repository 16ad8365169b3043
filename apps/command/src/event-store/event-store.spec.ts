import type { EventPublisher, EventRecord } from './event-publisher';
import { EventStore, type StreamChange } from './event-store';

const TOPICS = { orderEvents: 'orders', inventoryEvents: 'inventory' };
const LINGER_MS = 40;

/** Holds each transaction open until the test lets it commit. */
class HeldPublisher implements EventPublisher {
  readonly transactions: EventRecord[][] = [];
  private readonly open: (() => void)[] = [];

  publish(records: EventRecord[]): Promise<void> {
    this.transactions.push(records);
    return new Promise((resolve) => this.open.push(resolve));
  }

  /** Commits the oldest open transaction and lets its commands settle. */
  async commit(): Promise<void> {
    this.open.shift()?.();
    await jest.advanceTimersByTimeAsync(0);
  }
}

const stock = (productId: string): StreamChange => ({
  type: 'Inventory',
  id: productId,
  expectedVersion: 0,
  events: [
    {
      type: 'InventoryUpdated',
      data: { productId, name: null, previousOnHand: 0, onHand: 5, kind: 'SET', reason: null },
    },
  ],
});

describe('EventStore group commit linger', () => {
  let publisher: HeldPublisher;
  let store: EventStore;
  const context = { correlationId: 'c', causationId: 'k', now: new Date('2026-12-03T00:00:00Z') };
  const append = (productId: string) => store.append([stock(productId)], context).durable;

  beforeEach(() => {
    jest.useFakeTimers();
    publisher = new HeldPublisher();
    store = new EventStore(publisher, TOPICS, { lingerMs: LINGER_MS });
  });
  afterEach(() => jest.useRealTimers());

  it('never delays a lone client: each command commits as soon as the previous one has', async () => {
    for (const product of ['p1', 'p2', 'p3']) {
      const durable = append(product);
      expect(publisher.transactions).toHaveLength(['p1', 'p2', 'p3'].indexOf(product) + 1);
      await publisher.commit();
      await durable;
    }
  });

  /** a1 alone, then a2 and a3 together: the last transaction carried two commands. */
  const shareATransaction = async () => {
    void append('a1'); // begins the first transaction alone
    void append('a2');
    void append('a3');
    await publisher.commit();
    // a2 and a3 go together, at once: the transaction before carried only one command.
    expect(publisher.transactions.map((records) => records.length)).toEqual([1, 2]);
    await publisher.commit();
  };
  const keys = () => publisher.transactions.map((records) => records.map((record) => record.key));

  it('after a shared transaction, a command waits out the linger when no other comes', async () => {
    await shareATransaction();
    void append('a4');
    await jest.advanceTimersByTimeAsync(LINGER_MS - 1);
    expect(publisher.transactions).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(keys()).toEqual([['a1'], ['a2', 'a3'], ['a4']]);
  });

  it('ends the linger as soon as as many commands wait as the last transaction carried', async () => {
    await shareATransaction();
    void append('a4');
    await jest.advanceTimersByTimeAsync(LINGER_MS / 2);
    expect(publisher.transactions).toHaveLength(2);
    void append('a5');
    await jest.advanceTimersByTimeAsync(0);
    expect(keys()).toEqual([['a1'], ['a2', 'a3'], ['a4', 'a5']]);
  });

  it('starts at once when the linger has already passed', async () => {
    void append('b1');
    void append('b2');
    void append('b3');
    await publisher.commit();
    await jest.advanceTimersByTimeAsync(LINGER_MS);
    await publisher.commit();
    void append('b4');
    expect(publisher.transactions).toHaveLength(3);
  });
});

describe('EventStore records', () => {
  const context = { correlationId: 'corr-1', causationId: 'k', now: new Date('2026-12-03T00:00:00Z') };
  const twoProducts = [stock('r1'), stock('r2')];

  it('carries the envelope alone: type and correlation are in it, not in headers', () => {
    const publisher = new HeldPublisher();
    void new EventStore(publisher, TOPICS).append(twoProducts, context).durable;
    const [records] = publisher.transactions;
    expect(records.map((record) => record.headers)).toEqual([{}, {}]);
    expect(JSON.parse(records[0].value)).toMatchObject({ eventType: 'InventoryUpdated', correlationId: 'corr-1' });
  });

  it("puts the command's own headers (the idempotency record) on its last event only", () => {
    const publisher = new HeldPublisher();
    const headers = () => ({ 'idempotency-key': 'i-1' });
    void new EventStore(publisher, TOPICS).append(twoProducts, { ...context, headers }).durable;
    expect(publisher.transactions[0].map((record) => record.headers)).toEqual([{}, { 'idempotency-key': 'i-1' }]);
  });
});

describe('EventStore replay', () => {
  const context = { correlationId: 'corr', causationId: 'k', now: new Date('2026-12-03T00:00:00Z') };
  const setStock = (productId: string, expectedVersion: number, onHand: number): StreamChange => ({
    type: 'Inventory',
    id: productId,
    expectedVersion,
    events: [
      {
        type: 'InventoryUpdated',
        data: { productId, name: null, previousOnHand: 0, onHand, kind: 'SET', reason: null },
      },
    ],
  });

  /** A store that wrote some history, and the records it sent to Kafka. */
  const written = async () => {
    const records: EventRecord[] = [];
    const store = new EventStore({ publish: (batch) => Promise.resolve(void records.push(...batch)) }, TOPICS);
    for (const [index, onHand] of [5, 8, 2].entries())
      await store.append([setStock('p1', index, onHand)], context).durable;
    await store.append([setStock('p2', 0, 9)], context).durable;
    return { store, records };
  };
  const fresh = () => new EventStore({ publish: () => Promise.resolve() }, TOPICS);
  const bytes = (record: EventRecord) => Buffer.from(record.value, 'utf8');

  it('takes the bytes Kafka hands back and folds each stream when it is first read', async () => {
    const { store, records } = await written();
    const replayed = fresh();
    for (const record of records) replayed.replay(record.topic, record.key, bytes(record));
    expect(replayed.eventCount).toBe(4);
    for (const id of ['p1', 'p2']) {
      expect(replayed.read('Inventory', id)).toEqual(store.read('Inventory', id));
      expect(replayed.committedEvents('Inventory', id)).toEqual(store.committedEvents('Inventory', id));
    }
    expect(replayed.stateAt('Inventory', 'p1', 2)).toEqual(store.stateAt('Inventory', 'p1', 2));
  });

  it('parses a message that has no key, and skips one it already holds', async () => {
    const { store, records } = await written();
    const replayed = fresh();
    for (const record of [...records, records[0]]) replayed.replay(record.topic, null, bytes(record));
    expect(replayed.eventCount).toBe(4);
    expect(replayed.read('Inventory', 'p1')).toEqual(store.read('Inventory', 'p1'));
  });

  it('reports a version gap and keeps the stream up to it', async () => {
    const { records } = await written();
    const replayed = fresh();
    for (const record of [records[0], records[2]]) replayed.replay(record.topic, record.key, bytes(record));
    expect(replayed.gaps).toEqual([
      { aggregateType: 'Inventory', aggregateId: 'p1', expectedVersion: 2, foundVersion: 3 },
    ]);
    expect(replayed.read('Inventory', 'p1').version).toBe(1);
  });

  it('will not fold an event that a foreign writer put under another key', async () => {
    const { records } = await written();
    const replayed = fresh();
    replayed.replay(records[3].topic, 'p9', bytes(records[3]));
    expect(() => replayed.read('Inventory', 'p9')).toThrow('event 1 of Inventory p9 is Inventory p2 version 1');
  });

  it('after a failed commit, folds the stream again from what Kafka holds', async () => {
    let fail = false;
    const store = new EventStore(
      { publish: () => (fail ? Promise.reject(new Error('broker down')) : Promise.resolve()) },
      TOPICS,
    );
    await store.append([setStock('p1', 0, 5)], context).durable;
    const before = store.read('Inventory', 'p1');
    fail = true;
    await expect(store.append([setStock('p1', 1, 7)], context).durable).rejects.toThrow();
    expect(store.read('Inventory', 'p1')).toEqual(before);
  });
});

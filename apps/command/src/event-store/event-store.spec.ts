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

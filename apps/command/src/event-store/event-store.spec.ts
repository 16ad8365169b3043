import { type EventPublisher, type EventRecord, PublishError, publishingOnCommit } from './event-publisher';
import { EventStore, type StreamChange } from './event-store';

const TOPICS = { orderEvents: 'orders', inventoryEvents: 'inventory' };
const LINGER_MS = 40;
/** Where a replayed event was read; these tests do not read history back. */
const AT = { partition: 0, offset: 0 };

/**
 * Sends at once and holds each commit until the test settles it; logs what
 * the store asked for, by the first key of each transaction.
 */
class HeldPublisher implements EventPublisher {
  readonly transactions: EventRecord[][] = [];
  readonly log: string[] = [];
  /** The next begin fails with this, if set. */
  refuseNext: Error | null = null;
  private readonly commits: { resolve(): void; reject(error: Error): void }[] = [];

  begin(records: EventRecord[]) {
    const name = records[0].key;
    this.log.push(`send ${name}`);
    if (this.refuseNext) {
      const error = this.refuseNext;
      this.refuseNext = null;
      return Promise.reject(error);
    }
    this.transactions.push(records);
    return Promise.resolve({
      positions: [],
      commit: () => {
        this.log.push(`commit ${name}`);
        return new Promise<void>((resolve, reject) => this.commits.push({ resolve, reject }));
      },
      abort: () => {
        this.log.push(`abort ${name}`);
        return Promise.resolve();
      },
    });
  }

  /** Ends the commit in progress, successfully or with `error`, and lets the store go on. */
  async commit(error?: Error): Promise<void> {
    const commit = this.commits.shift();
    if (!commit) throw new Error('no commit is in progress');
    if (error) commit.reject(error);
    else commit.resolve();
    await jest.advanceTimersByTimeAsync(0);
  }
}

const stock = (productId: string, expectedVersion = 0): StreamChange => ({
  type: 'Inventory',
  id: productId,
  expectedVersion,
  events: [
    {
      type: 'InventoryUpdated',
      data: { productId, name: null, previousOnHand: 0, onHand: 5, kind: 'SET', reason: null },
    },
  ],
});
const context = { correlationId: 'c', causationId: 'k', now: new Date('2026-12-03T00:00:00Z') };

describe('EventStore pipelined commits', () => {
  let publisher: HeldPublisher;
  let store: EventStore;
  /** The command's outcome, once settled. */
  const append = (productId: string, expectedVersion = 0) => {
    const outcome: { value?: string } = {};
    store.append([stock(productId, expectedVersion)], context).durable.then(
      () => (outcome.value = 'ok'),
      (error: Error) => (outcome.value = error.message),
    );
    return outcome;
  };

  const keys = () => publisher.transactions.map((records) => records.map((record) => record.key));

  beforeEach(() => {
    jest.useFakeTimers();
    publisher = new HeldPublisher();
    store = new EventStore(publisher, TOPICS, { lingerMs: LINGER_MS });
  });
  afterEach(() => jest.useRealTimers());

  const REFUSED = 'The event bus cannot take events right now; nothing was recorded.';

  it('sends the next batch while one commits, once as many commands wait as it carried, and commits it only after', async () => {
    const first = append('a');
    await jest.advanceTimersByTimeAsync(0);
    const second = append('b');
    const third = append('c');
    await jest.advanceTimersByTimeAsync(0);
    expect(publisher.log).toEqual(['send a', 'commit a', 'send b']);
    expect(keys()).toEqual([['a'], ['b', 'c']]);
    expect(store.pendingCommits).toBe(3);

    await publisher.commit();
    expect(first.value).toBe('ok');
    expect(second.value).toBeUndefined();
    expect(publisher.log).toEqual(['send a', 'commit a', 'send b', 'commit b']);
    await publisher.commit();
    expect([second.value, third.value]).toEqual(['ok', 'ok']);
    expect(store.committedVersion('Inventory', 'c')).toBe(1);
    expect(store.pendingCommits).toBe(0);
  });

  it('a lone command waits for the commit in flight instead of a transaction of its own at once', async () => {
    append('a');
    await jest.advanceTimersByTimeAsync(0);
    const second = append('b');
    await jest.advanceTimersByTimeAsync(LINGER_MS * 2);
    expect(publisher.log).toEqual(['send a', 'commit a']);
    await publisher.commit();
    expect(publisher.log).toEqual(['send a', 'commit a', 'send b', 'commit b']);
    await publisher.commit();
    expect(second.value).toBe('ok');
  });

  it('when a commit fails, aborts the batch sent after it, rejects everything after and keeps none of it', async () => {
    append('a');
    await jest.advanceTimersByTimeAsync(0);
    await publisher.commit();
    const failing = append('b');
    await jest.advanceTimersByTimeAsync(0);
    const sentAfter = [append('c'), append('d')];
    await jest.advanceTimersByTimeAsync(0);
    const queued = append('e'); // staged while both are in flight
    await jest.advanceTimersByTimeAsync(0);

    await publisher.commit(new PublishError('broker gone', false));
    expect(publisher.log).toEqual(['send a', 'commit a', 'send b', 'commit b', 'send c', 'abort c']);
    expect([failing, ...sentAfter, queued].map((outcome) => outcome.value)).toEqual([
      REFUSED,
      REFUSED,
      REFUSED,
      REFUSED,
    ]);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => store.read('Inventory', id).version)).toEqual([1, 0, 0, 0, 0]);
    expect(store.pendingCommits).toBe(0);
    expect(store.unsyncedReason).toBeNull();

    // And the store goes on (after the linger: the last batch carried two commands).
    const next = append('b');
    await jest.advanceTimersByTimeAsync(LINGER_MS);
    await publisher.commit();
    expect(next.value).toBe('ok');
  });

  it('when a send fails while the batch before commits, rolls back only once that one has committed', async () => {
    const first = append('a');
    await jest.advanceTimersByTimeAsync(0);
    publisher.refuseNext = new PublishError('not reachable', false);
    const refused = [append('a', 1), append('b')];
    await jest.advanceTimersByTimeAsync(0);
    expect(publisher.log).toEqual(['send a', 'commit a', 'send a']);
    expect(refused[0].value).toBeUndefined(); // still waiting for the first commit's outcome

    await publisher.commit();
    expect(first.value).toBe('ok');
    expect(refused.map((outcome) => outcome.value)).toEqual([REFUSED, REFUSED]);
    expect(store.read('Inventory', 'a').version).toBe(1);
    expect(store.committedVersion('Inventory', 'a')).toBe(1);
  });

  it('after a commit with an unknown outcome, asks for the resync only once the batch after it is aborted', async () => {
    const resyncs: string[] = [];
    store.onOutcomeUnknown = () => resyncs.push(publisher.log.join(', '));
    append('a');
    await jest.advanceTimersByTimeAsync(0);
    append('b');
    append('c');
    await jest.advanceTimersByTimeAsync(0);

    await publisher.commit(new PublishError('answer lost', true));
    expect(resyncs).toEqual(['send a, commit a, send b, abort b']);
    expect(store.unsyncedReason).toMatch(/unknown outcome/);
    expect(() => append('d')).toThrow(/resynchroniz/);
  });

  it('never delays a lone client: each command commits as soon as the previous one has', async () => {
    for (const product of ['p1', 'p2', 'p3']) {
      const outcome = append(product);
      await jest.advanceTimersByTimeAsync(0);
      await publisher.commit();
      expect(outcome.value).toBe('ok');
    }
    expect(publisher.transactions).toHaveLength(3);
  });

  /** a1 alone, then a2 and a3 together (sent while a1 commits): the last transaction carried two commands. */
  const shareATransaction = async () => {
    append('a1');
    append('a2');
    append('a3');
    await jest.advanceTimersByTimeAsync(0);
    expect(publisher.transactions.map((records) => records.length)).toEqual([1, 2]);
    await publisher.commit();
    await publisher.commit();
  };
  it('with nothing in flight, after a shared transaction, a command waits out the linger when no other comes', async () => {
    await shareATransaction();
    append('a4');
    await jest.advanceTimersByTimeAsync(LINGER_MS - 1);
    expect(publisher.transactions).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(keys()).toEqual([['a1'], ['a2', 'a3'], ['a4']]);
  });

  it('ends the linger as soon as as many commands wait as the last transaction carried', async () => {
    await shareATransaction();
    append('a4');
    await jest.advanceTimersByTimeAsync(LINGER_MS / 2);
    expect(publisher.transactions).toHaveLength(2);
    append('a5');
    await jest.advanceTimersByTimeAsync(0);
    expect(keys()).toEqual([['a1'], ['a2', 'a3'], ['a4', 'a5']]);
  });

  it('starts at once when the linger has already passed', async () => {
    await shareATransaction();
    await jest.advanceTimersByTimeAsync(LINGER_MS);
    append('b4');
    await jest.advanceTimersByTimeAsync(0);
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
    const store = new EventStore(
      publishingOnCommit((batch) => Promise.resolve(void records.push(...batch))),
      TOPICS,
    );
    for (const [index, onHand] of [5, 8, 2].entries())
      await store.append([setStock('p1', index, onHand)], context).durable;
    await store.append([setStock('p2', 0, 9)], context).durable;
    return { store, records };
  };
  const fresh = () =>
    new EventStore(
      publishingOnCommit(() => Promise.resolve()),
      TOPICS,
    );
  const bytes = (record: EventRecord) => Buffer.from(record.value, 'utf8');

  it('applies the bytes Kafka hands back into the same state and versions', async () => {
    const { store, records } = await written();
    const replayed = fresh();
    for (const record of records) replayed.replay(record.topic, record.key, bytes(record), AT);
    expect(replayed.eventCount).toBe(4);
    for (const id of ['p1', 'p2']) {
      expect(replayed.read('Inventory', id)).toEqual(store.read('Inventory', id));
      expect(replayed.committedVersion('Inventory', id)).toBe(store.committedVersion('Inventory', id));
    }
  });

  it('parses a message that has no key, and skips one it already holds', async () => {
    const { store, records } = await written();
    const replayed = fresh();
    for (const record of [...records, records[0]]) replayed.replay(record.topic, null, bytes(record), AT);
    expect(replayed.eventCount).toBe(4);
    expect(replayed.read('Inventory', 'p1')).toEqual(store.read('Inventory', 'p1'));
  });

  it('reports a version gap and keeps the stream up to it', async () => {
    const { records } = await written();
    const replayed = fresh();
    for (const record of [records[0], records[2]]) replayed.replay(record.topic, record.key, bytes(record), AT);
    expect(replayed.gaps).toEqual([
      { aggregateType: 'Inventory', aggregateId: 'p1', expectedVersion: 2, foundVersion: 3 },
    ]);
    expect(replayed.read('Inventory', 'p1').version).toBe(1);
  });

  it('will not fold an event that a foreign writer put under another key', async () => {
    const { records } = await written();
    const replayed = fresh();
    expect(() => replayed.replay(records[3].topic, 'p9', bytes(records[3]), AT)).toThrow(
      'the event keyed Inventory p9 version 1 is Inventory p2 version 1',
    );
    expect(replayed.read('Inventory', 'p9').version).toBe(0);
    expect(replayed.eventCount).toBe(0);
  });

  it('after a failed commit, returns the stream to what Kafka holds', async () => {
    let fail = false;
    const store = new EventStore(
      publishingOnCommit(() => (fail ? Promise.reject(new Error('broker down')) : Promise.resolve())),
      TOPICS,
    );
    await store.append([setStock('p1', 0, 5)], context).durable;
    const before = store.read('Inventory', 'p1');
    fail = true;
    await expect(store.append([setStock('p1', 1, 7)], context).durable).rejects.toThrow();
    expect(store.read('Inventory', 'p1')).toEqual(before);
  });

  it('notes where every hundredth event of a stream is in Kafka, from commits and from replay', async () => {
    let offset = 1000;
    const placing: EventPublisher = {
      begin: (records) =>
        Promise.resolve({
          positions: records.map(() => ({ partition: 4, offset: offset++ })),
          commit: () => Promise.resolve(),
          abort: () => Promise.resolve(),
        }),
    };
    const store = new EventStore(placing, TOPICS);
    for (let version = 0; version < 150; version += 1) {
      await store.append([setStock('p1', version, version + 1)], context).durable;
    }
    await store.drain(); // the state store is written every interval
    expect(store.locate('Inventory', 'p1')).toEqual({ partition: 4, offsets: [1000, 1100], committed: 150 });
    expect(store.locate('Inventory', 'nothing')).toBeNull();

    const { records } = await written();
    const replayed = fresh();
    records.forEach((record, index) =>
      replayed.replay(record.topic, record.key, bytes(record), { partition: 2, offset: 50 + index }),
    );
    await replayed.persistReplayed();
    expect(replayed.locate('Inventory', 'p2')).toEqual({ partition: 2, offsets: [53], committed: 1 });
  });
});

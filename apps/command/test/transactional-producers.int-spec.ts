import { type EventPublisher, PublishError } from '../src/event-store/event-publisher';
import { EventStore } from '../src/event-store/event-store';
import { KafkaEventPublisher, TRANSACTIONAL_RETRY } from '../src/event-store/kafka-event-publisher';
import {
  commandContext,
  interceptCommits,
  publisherFixture,
  readCommitted,
  registrationChanges,
  stockChange,
} from './command-app.harness';

describe('transactions taken in turn by two producers', () => {
  const { topics, connection, publisher } = publisherFixture('it-producers');
  const store = new EventStore(publisher, connection.settings.topics);

  it('keep the order of the transactions in the log', async () => {
    await store.append([stockChange('turns-a', 100)], commandContext()).durable;
    for (let i = 1; i <= 12; i += 1) {
      await store.append(registrationChanges(`turns-order-${i}`, ['turns-a'], i), commandContext()).durable;
    }

    const events = await readCommitted(topics);
    const stock = events.filter((event) => event.key === 'turns-a');
    expect(stock.map((event) => event.envelope.aggregateVersion)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(stock.map((event) => (event.envelope.payload as { orderId?: string }).orderId)).toEqual([
      undefined,
      ...Array.from({ length: 12 }, (_, i) => `turns-order-${i + 1}`),
    ]);
  });

  it('a new instance fences both producers of the old one', async () => {
    const record = { topic: topics.orders, key: 'fenced', value: '{}', headers: {} };
    await publisher.publish([record]);
    await publisher.publish([record]);

    const successor = new KafkaEventPublisher(connection, { transactionalId: topics.transactionalId, timeoutMs: 5000 });
    try {
      await successor.ready();
      // One publish per producer of the old instance, each refused.
      await expect(publisher.publish([record])).rejects.toBeInstanceOf(PublishError);
      await expect(publisher.publish([record])).rejects.toBeInstanceOf(PublishError);
    } finally {
      await successor.onApplicationShutdown();
    }
  });
});

/** The real publisher, except that it can hold the next commit until the test ends it. */
class HeldCommitPublisher {
  /** The key of each batch's first record, in the order sent. */
  readonly sent: string[] = [];
  private held: Promise<boolean> | null = null;
  private release: (commit: boolean) => void = () => undefined;

  readonly publisher: EventPublisher;

  constructor(real: KafkaEventPublisher) {
    this.publisher = interceptCommits(real, (records) => {
      this.sent.push(records[0].key);
      const held = this.held;
      this.held = null;
      if (!held) return null;
      return async (open) => {
        if (await held) return open.commit();
        await open.abort();
        throw new PublishError('refused on purpose', false);
      };
    });
  }

  /** The next batch's commit waits until `end`: it then commits, or aborts and fails. */
  holdNext(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  end(commit: boolean): void {
    this.release(commit);
  }

  async untilSent(count: number): Promise<void> {
    const deadline = Date.now() + 10000;
    while (this.sent.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.sent.length} of ${count} batches were sent`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

describe('pipelined transactions against the broker', () => {
  const { topics, connection, publisher } = publisherFixture('it-pipeline');
  const held = new HeldCommitPublisher(publisher);
  const store = new EventStore(held.publisher, connection.settings.topics);
  const versionsOf = async (key: string) =>
    (await readCommitted(topics)).filter((event) => event.key === key).map((event) => event.envelope.aggregateVersion);

  it('the next batch is sent while one commits, and both land in order', async () => {
    held.holdNext();
    const first = store.append([stockChange('pipe-a', 10)], commandContext()).durable;
    await held.untilSent(1);
    // Two commands: as many as the committing batch carried (at least two), so they go at once.
    const second = store.append(registrationChanges('pipe-order-1', ['pipe-a']), commandContext()).durable;
    const third = store.append([stockChange('pipe-a2', 5)], commandContext()).durable;
    // Sent while the first still waits to commit.
    await held.untilSent(2);
    held.end(true);
    await Promise.all([first, second, third]);

    expect(await versionsOf('pipe-a')).toEqual([1, 2]);
    expect(store.committedVersion('Inventory', 'pipe-a')).toBe(2);
    expect(store.committedVersion('Inventory', 'pipe-a2')).toBe(1);
  });

  it('when a commit fails, the batch already sent after it is aborted in Kafka: neither is seen, memory keeps neither', async () => {
    await store.append([stockChange('pipe-b', 10)], commandContext()).durable;
    const sentBefore = held.sent.length;
    held.holdNext();
    const first = store.append(registrationChanges('pipe-order-2', ['pipe-b']), commandContext()).durable;
    await held.untilSent(sentBefore + 1);
    const second = store.append(registrationChanges('pipe-order-3', ['pipe-b'], 2), commandContext()).durable;
    const third = store.append([stockChange('pipe-b2', 5)], commandContext()).durable;
    await held.untilSent(sentBefore + 2);
    held.end(false);
    for (const refused of [first, second, third]) {
      await expect(refused).rejects.toMatchObject({ code: 'EVENT_BUS_UNAVAILABLE' });
    }
    expect(store.read('Inventory', 'pipe-b').version).toBe(1);
    expect(store.read('Inventory', 'pipe-b2').version).toBe(0);

    // Both producers still work; a read-committed reader gets past the aborted transactions.
    await store.append(registrationChanges('pipe-order-4', ['pipe-b']), commandContext()).durable;
    await store.append(registrationChanges('pipe-order-5', ['pipe-b'], 2), commandContext()).durable;
    const events = (await readCommitted(topics)).filter((event) => event.key === 'pipe-b');
    // Version and order together: a failure then names the event that should not be there.
    expect(
      events.map((event) => [
        event.envelope.aggregateVersion,
        (event.envelope.payload as { orderId?: string }).orderId,
      ]),
    ).toEqual([
      [1, undefined],
      [2, 'pipe-order-4'],
      [3, 'pipe-order-5'],
    ]);
  });
});

describe('pipelined transactions with one producer (KAFKA_TRANSACTIONAL_PRODUCERS=1)', () => {
  const { topics, connection } = publisherFixture('it-one-producer');
  const single = new KafkaEventPublisher(connection, {
    transactionalId: `${topics.transactionalId}-single`,
    producers: 1,
    timeoutMs: 5000,
  });
  afterAll(() => single.onApplicationShutdown());

  it('the next batch waits for the producer to be free, and everything commits in order', async () => {
    // Passes through, noting the order in which the store asks and the producer answers.
    const log: string[] = [];
    const watched: EventPublisher = {
      begin: async (records) => {
        const name = records[0].key;
        log.push(`begin ${name}`);
        const open = await single.begin(records);
        return {
          positions: open.positions,
          commit: async () => {
            await open.commit();
            log.push(`committed ${name}`);
          },
          abort: () => open.abort(),
        };
      },
    };
    const store = new EventStore(watched, connection.settings.topics);
    await store.append([stockChange('single-a', 100)], commandContext()).durable;
    const order = (i: number) =>
      store.append(registrationChanges(`single-order-${i}`, ['single-a'], i + 1), commandContext()).durable;
    const first = order(0);
    while (log.length < 3) await new Promise((resolve) => setImmediate(resolve));
    // Nineteen more while the first is in flight: the store sends them before it has committed.
    const rest = Array.from({ length: 19 }, (_, i) => order(i + 1));
    await Promise.all([first, ...rest]);

    expect(log.indexOf('begin single-order-1')).toBeLessThan(log.indexOf('committed single-order-0'));
    const stock = (await readCommitted(topics)).filter((event) => event.key === 'single-a');
    expect(stock.map((event) => event.envelope.aggregateVersion)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });
});

describe('reading back what was committed', () => {
  const { topics, connection, publisher } = publisherFixture('it-read-back');

  it('waits for a transaction still open when it begins, and includes it once committed', async () => {
    // A commit is acknowledged before its markers are written: a read-back
    // that stopped at the last stable offset missed such a transaction.
    const held = new HeldCommitPublisher(publisher);
    const store = new EventStore(held.publisher, connection.settings.topics);
    held.holdNext();
    const durable = store.append([stockChange('read-back', 3)], commandContext()).durable;
    await held.untilSent(1);
    const reading = readCommitted(topics);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    held.end(true);
    await durable;
    expect((await reading).map((event) => event.key)).toEqual(['read-back']);
  });
});

describe('kafkajs as patched (patches/kafkajs+2.2.4.patch)', () => {
  const { topics, connection } = publisherFixture('it-coordinator');

  it('a transactional producer looks up its coordinator once, not twice per transaction', async () => {
    const producer = connection.kafka.producer({
      transactionalId: `${topics.transactionalId}-lookups`,
      idempotent: true,
      maxInFlightRequests: 1,
      retry: TRANSACTIONAL_RETRY,
    });
    await producer.connect();
    const send = async () => {
      const transaction = await producer.transaction();
      await transaction.send({ topic: topics.orders, acks: -1, messages: [{ key: 'k', value: 'v' }] });
      await transaction.commit();
    };
    try {
      await send();
      const requests: string[] = [];
      producer.on(producer.events.REQUEST, ({ payload }) => requests.push(payload.apiName));
      for (let i = 0; i < 5; i += 1) await send();

      // kafkajs names FindCoordinator "GroupCoordinator"; unpatched it sends two per transaction.
      expect(requests.filter((name) => name === 'GroupCoordinator')).toEqual([]);
      expect(requests.filter((name) => name === 'EndTxn')).toHaveLength(5);
    } finally {
      await producer.disconnect();
    }
  });
});

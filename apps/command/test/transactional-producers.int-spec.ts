import { PublishError } from '../src/event-store/event-publisher';
import { EventStore } from '../src/event-store/event-store';
import { KafkaEventPublisher, TRANSACTIONAL_RETRY } from '../src/event-store/kafka-event-publisher';
import {
  commandContext,
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

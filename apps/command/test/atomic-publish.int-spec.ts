import type { KafkaConnection } from '@of/platform';
import type { InventoryState } from '@of/domain';
import {
  type EventPublisher,
  type EventRecord,
  type OpenTransaction,
  PublishError,
} from '../src/event-store/event-publisher';
import { EventStore } from '../src/event-store/event-store';
import {
  commandContext,
  publisherFixture,
  readCommitted,
  registrationChanges,
  stockChange,
} from './command-app.harness';

/**
 * Sends a batch inside a real Kafka transaction, then aborts it instead of
 * committing: what a crash between send and commit leaves behind.
 */
class AbortingPublisher implements EventPublisher {
  constructor(private readonly connection: KafkaConnection) {}

  async begin(records: EventRecord[]): Promise<OpenTransaction> {
    const producer = this.connection.kafka.producer({
      transactionalId: `${this.connection.settings.clientId}-aborting`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const transaction = await producer.transaction();
    await transaction.sendBatch({
      acks: -1,
      topicMessages: records.map((record) => ({
        topic: record.topic,
        messages: [{ key: record.key, value: record.value, headers: record.headers }],
      })),
    });
    const end = async () => {
      try {
        await transaction.abort();
      } finally {
        await producer.disconnect();
      }
    };
    return {
      positions: [],
      commit: async () => {
        await end();
        throw new PublishError('aborted on purpose', false);
      },
      abort: end,
    };
  }
}

/** Routes to the real publisher, or to the aborting one while `failing` is set. */
class SwitchablePublisher implements EventPublisher {
  failing = false;
  constructor(
    private readonly real: EventPublisher,
    private readonly aborting: EventPublisher,
  ) {}
  begin(records: EventRecord[]): Promise<OpenTransaction> {
    return (this.failing ? this.aborting : this.real).begin(records);
  }
}

describe('multi-aggregate commands are atomic in Kafka', () => {
  const { topics, connection, publisher: real } = publisherFixture('it-atomic');
  const publisher = new SwitchablePublisher(real, new AbortingPublisher(connection));
  const store = new EventStore(publisher, connection.settings.topics);
  const context = commandContext;

  it('a read-committed consumer sees all of a registration or none of it, and memory keeps only what Kafka holds', async () => {
    await store.append([stockChange('atom-a', 5), stockChange('atom-b', 5)], context()).durable;

    publisher.failing = true;
    const failed = store.append(registrationChanges('aborted-order', ['atom-a', 'atom-b']), context());
    await expect(failed.durable).rejects.toMatchObject({ code: 'EVENT_BUS_UNAVAILABLE' });
    expect(store.read('Order', 'aborted-order').version).toBe(0);
    expect(store.read('Inventory', 'atom-a')).toMatchObject({ version: 1, state: { allocated: 0 } });

    publisher.failing = false;
    await store.append(registrationChanges('committed-order', ['atom-a', 'atom-b']), context()).durable;
    expect((store.read('Inventory', 'atom-b').state as InventoryState & { allocated: number }).allocated).toBe(1);

    const messages = await readCommitted(topics);
    const orderIds = messages.map((m) => (m.envelope.payload as { orderId?: string }).orderId).filter(Boolean);
    expect(orderIds).not.toContain('aborted-order');
    expect(orderIds.filter((id) => id === 'committed-order')).toHaveLength(3);
  });
});

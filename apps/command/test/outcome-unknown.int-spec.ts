import type { InventoryState } from '@of/domain';
import { IdempotencyStore } from '../src/command-handling/idempotency.store';
import { RecoveryState } from '../src/command-handling/recovery-state';
import { type EventPublisher, PublishError } from '../src/event-store/event-publisher';
import { EventStore } from '../src/event-store/event-store';
import { KafkaEventPublisher } from '../src/event-store/kafka-event-publisher';
import { LmdbStateStore } from '../src/event-store/lmdb-state-store';
import { SnapshotWriter } from '../src/event-store/snapshot-writer';
import { RecoveryService } from '../src/event-store/recovery.service';
import {
  commandContext,
  createTopics,
  interceptCommits,
  isolatedConnection,
  isolatedTopics,
  readCommitted,
  registrationChanges,
  stateDirOf,
  stockChange,
} from './command-app.harness';

/**
 * A commit whose answer never arrives: the transaction either committed or
 * did not, and the app cannot tell. `committed` says what really happened.
 */
class LostAnswerPublisher {
  mode: 'normal' | 'committed' | 'not-committed' = 'normal';
  readonly publisher: EventPublisher;

  constructor(real: KafkaEventPublisher) {
    this.publisher = interceptCommits(real, () => {
      const mode = this.mode;
      this.mode = 'normal';
      if (mode === 'normal') return null;
      return async (open) => {
        await (mode === 'committed' ? open.commit() : open.abort());
        throw new PublishError(`the commit's answer was lost (${mode})`, true);
      };
    });
  }
}

describe('a Kafka commit with an unknown outcome', () => {
  const topics = isolatedTopics();
  const connection = isolatedConnection('it-unknown', topics);
  const real = new KafkaEventPublisher(connection, { transactionalId: topics.transactionalId, timeoutMs: 5000 });
  const lostAnswers = new LostAnswerPublisher(real);
  const state = new RecoveryState();
  let store: EventStore;
  let recovery: RecoveryService;
  const context = commandContext;
  const products = ['unknown-a', 'unknown-b'];

  const recovered = async (): Promise<void> => {
    const deadline = Date.now() + 30000;
    while (!state.ready || store.unsyncedReason !== null) {
      if (Date.now() > deadline) throw new Error(`no resync within 30 s: ${state.error ?? 'no error recorded'}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const allocated = (productId: string): number =>
    (store.read('Inventory', productId).state as InventoryState & { allocated: number }).allocated;

  beforeAll(async () => {
    const stateStore = await LmdbStateStore.open(stateDirOf(topics), 'it-unknown');
    store = new EventStore(lostAnswers.publisher, connection.settings.topics, { stateStore });
    const snapshots = new SnapshotWriter(connection, stateStore, {
      topic: `${topics.transactionalId}-state`,
      transactionalId: `${topics.transactionalId}-snapshots`,
      intervalMs: 60_000,
    });
    recovery = new RecoveryService(connection, real, store, new IdempotencyStore(), state, snapshots, stateStore);
    await createTopics(connection);
    recovery.onApplicationBootstrap();
    await recovered();
    for (const product of products) await store.append([stockChange(product, 10)], context()).durable;
  });
  afterAll(async () => {
    await recovery.beforeApplicationShutdown();
    await real.onApplicationShutdown();
    await connection.onApplicationShutdown();
  });

  it('answers 503, refuses commands until memory is rebuilt, then holds what Kafka committed', async () => {
    lostAnswers.mode = 'committed';
    const lost = store.append(registrationChanges('lost-answer-order', products), context());
    await expect(lost.durable).rejects.toMatchObject({ code: 'EVENT_BUS_UNAVAILABLE' });
    // Until the resync, nothing may be decided on a memory that may be wrong.
    expect(store.unsyncedReason).toMatch(/unknown outcome/);
    expect(() => store.append([stockChange('unknown-c', 1)], context())).toThrow(/resynchroniz/);

    await recovered();
    // Kafka committed it, so memory has it again: the order and both allocations.
    expect(store.read('Order', 'lost-answer-order').version).toBe(1);
    expect(products.map(allocated)).toEqual([1, 1]);
    // And the versions go on from there.
    await store.append(registrationChanges('next-order', products, 2), context()).durable;
    expect(store.read('Inventory', 'unknown-a').version).toBe(3);
  });

  it('keeps nothing of a commit that did not happen', async () => {
    lostAnswers.mode = 'not-committed';
    const lost = store.append(registrationChanges('never-order', products, 3), context());
    await expect(lost.durable).rejects.toMatchObject({ code: 'EVENT_BUS_UNAVAILABLE' });
    await recovered();
    expect(store.read('Order', 'never-order').version).toBe(0);
    expect(products.map(allocated)).toEqual([2, 2]);

    const committed = await readCommitted(topics);
    const orders = committed.filter((message) => message.envelope.aggregateType === 'Order');
    expect(orders.map((message) => message.envelope.aggregateId).sort()).toEqual(['lost-answer-order', 'next-order']);
  });
});

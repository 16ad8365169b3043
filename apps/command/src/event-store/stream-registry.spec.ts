import type { ExistingInventory, ExistingOrder } from '@of/domain';
import type { DomainEvent } from './aggregates';
import { MemoryStateStore } from './memory-state-store';
import { StateWriteBatch } from './state-store';
import { type StateChange, StreamRegistry } from './stream-registry';
import { ADDRESS } from '../../../../test/support/fixtures';

const created = (orderId: string): DomainEvent => ({
  type: 'OrderCreated',
  data: {
    orderId,
    customerId: 'c1',
    currency: 'EUR',
    lines: [{ productId: 'p1', quantity: 2, unitPriceMinor: 100 }],
    totalMinor: 200,
    shippingAddress: ADDRESS,
    billingAddress: ADDRESS,
    issuedAt: null,
  },
});
const cancelled = (orderId: string): DomainEvent => ({ type: 'OrderCancelled', data: { orderId, reason: 'r' } });
const stocked = (onHand: number): DomainEvent => ({
  type: 'InventoryUpdated',
  data: { productId: 'p1', name: null, previousOnHand: 0, onHand, kind: 'SET', reason: null },
});
const allocated = (orderId: string, quantity: number): DomainEvent => ({
  type: 'InventoryAllocated',
  data: { productId: 'p1', orderId, quantity },
});
const returned = (orderId: string, quantity: number): DomainEvent => ({
  type: 'InventoryReturned',
  data: { productId: 'p1', orderId, quantity },
});

/** Commits `changes` at consecutive offsets of partition 0 and writes them to the store. */
async function commitAll(registry: StreamRegistry, changes: StateChange[], firstOffset = 0): Promise<void> {
  const batch = new StateWriteBatch();
  changes.forEach((change, index) =>
    registry.commit(change, { topic: 'inventory', partition: 0, offset: firstOffset + index }, batch),
  );
  await registry.persist(batch);
}

describe('StreamRegistry', () => {
  let store: MemoryStateStore;
  let registry: StreamRegistry;
  beforeEach(() => {
    store = new MemoryStateStore();
    registry = new StreamRegistry(store);
  });

  it('rolls staged events back, the allocation table included', async () => {
    await commitAll(registry, [
      registry.stage('Inventory', 'p1', stocked(10)),
      registry.stage('Inventory', 'p1', allocated('o1', 2)),
    ]);
    const staged = registry.stage('Inventory', 'p1', allocated('o1', 3));
    registry.stage('Inventory', 'p1', allocated('o2', 1));
    expect(registry.read('Inventory', 'p1').version).toBe(4);

    registry.rollback(staged.stream);
    const { state, version } = registry.read('Inventory', 'p1');
    expect(version).toBe(2);
    expect((state as ExistingInventory).allocated).toBe(2);
    expect([...(state as ExistingInventory).allocations]).toEqual([['o1', 2]]);
    expect(registry.eventCount).toBe(2);
  });

  it('stores a product as its fields plus one entry per order, and reads it back the same', async () => {
    await commitAll(registry, [
      registry.stage('Inventory', 'p1', stocked(10)),
      registry.stage('Inventory', 'p1', allocated('o1', 2)),
      registry.stage('Inventory', 'p1', allocated('o2', 1)),
    ]);
    const stored = store.load('Inventory', 'p1');
    expect(stored?.version).toBe(3);
    expect(stored?.state).not.toHaveProperty('allocations');
    expect([...(stored?.allocations ?? [])]).toEqual([
      ['o1', 2],
      ['o2', 1],
    ]);
    expect(new StreamRegistry(store).read('Inventory', 'p1')).toEqual(registry.read('Inventory', 'p1'));
    expect(store.checkpoint()).toEqual(new Map([['inventory:0', 3]]));
  });

  it('lets an order leave memory once stored, and still answers for it', async () => {
    await commitAll(registry, [
      registry.stage('Inventory', 'p1', stocked(10)),
      registry.stage('Order', 'o1', created('o1')),
    ]);
    expect(registry.residentCount).toBe(1); // the product stays
    expect(registry.read('Order', 'o1').version).toBe(1);
    await commitAll(registry, [registry.stage('Order', 'o1', cancelled('o1'))], 2);
    expect(registry.residentCount).toBe(1);
    const { state, version } = registry.read('Order', 'o1');
    expect(version).toBe(2);
    expect((state as ExistingOrder).status).toBe('CANCELLED');
    expect(registry.committedVersion('Order', 'o1')).toBe(2);
    expect(registry.locate('Order', 'o1')).toEqual({ partition: 0, offsets: [1], committed: 2 });
  });

  it('keeps an order in memory while a later event of it waits for its commit', async () => {
    await commitAll(registry, [registry.stage('Order', 'o1', created('o1'))]);
    const cancel = registry.stage('Order', 'o1', cancelled('o1'));
    registry.stage('Order', 'o1', {
      type: 'OrderStatusUpdated',
      data: { orderId: 'o1', previousStatus: 'CANCELLED', status: 'CANCELLED' },
    });
    await commitAll(registry, [cancel], 1);
    expect(registry.residentCount).toBe(1);
    expect(registry.committedVersion('Order', 'o1')).toBe(2);
    expect(registry.read('Order', 'o1').version).toBe(3);
  });

  it('keeps an order in memory while a later commit of it waits for the next store write', async () => {
    const first = new StateWriteBatch();
    registry.commit(registry.stage('Order', 'o1', created('o1')), null, first);
    const second = new StateWriteBatch();
    registry.commit(registry.stage('Order', 'o1', cancelled('o1')), null, second);
    await registry.persist(first); // holds version 1 only
    expect(registry.residentCount).toBe(1);
    expect(registry.read('Order', 'o1').version).toBe(2);
    await registry.persist(second);
    expect(registry.residentCount).toBe(0);
    expect(registry.read('Order', 'o1').version).toBe(2);
  });

  it('skips a replayed event it holds, reports a gap, and applies the next', () => {
    registry.restore('Inventory', 'p1', 1, () => stocked(5));
    expect(registry.restore('Inventory', 'p1', 1, () => stocked(5))).toBe('duplicate');
    expect(registry.restore('Inventory', 'p1', 3, () => stocked(7))).toBe(2);
    const change = registry.restore('Inventory', 'p1', 2, () => allocated('o1', 1));
    expect(change).toMatchObject({ version: 2, allocation: { orderId: 'o1', held: 1 } });
    expect(registry.committedVersion('Inventory', 'p1')).toBe(2);
  });

  it('counts events and aggregates across a restart from the store', async () => {
    await commitAll(registry, [
      registry.stage('Inventory', 'p1', stocked(10)),
      registry.stage('Order', 'o1', created('o1')),
    ]);
    registry.stage('Order', 'o2', created('o2')); // staged only
    expect([registry.eventCount, registry.streamCount]).toEqual([3, 3]);
    const restarted = new StreamRegistry(store);
    expect([restarted.eventCount, restarted.streamCount]).toEqual([2, 2]);
  });

  it("keeps a stream's first offset with its state, and the sparse index beyond it apart", async () => {
    const changes = Array.from({ length: 101 }, (_, index) => registry.stage('Inventory', 'p1', stocked(index)));
    await commitAll(registry, changes, 500);
    expect(store.load('Inventory', 'p1')).toMatchObject({ version: 101, partition: 0, firstOffset: 500 });
    expect(store.offsets('Inventory', 'p1')).toEqual([undefined, 600]);
    expect(new StreamRegistry(store).locate('Inventory', 'p1')).toEqual({
      partition: 0,
      offsets: [500, 600],
      committed: 101,
    });
  });

  it('marks the allocation entries it creates, so a hold made and released before a write never reaches the store', async () => {
    await commitAll(registry, [
      registry.stage('Inventory', 'p1', stocked(10)),
      registry.stage('Inventory', 'p1', allocated('o1', 2)),
    ]);
    const batch = new StateWriteBatch();
    [allocated('o1', 1), allocated('o2', 1), returned('o2', 1), allocated('o3', 1)].forEach((event, index) =>
      registry.commit(
        registry.stage('Inventory', 'p1', event),
        { topic: 'inventory', partition: 0, offset: 2 + index },
        batch,
      ),
    );
    expect([...batch.allocations.values()]).toEqual([
      { productId: 'p1', orderId: 'o1', held: 3, created: false },
      { productId: 'p1', orderId: 'o2', held: 0, created: true },
      { productId: 'p1', orderId: 'o3', held: 1, created: true },
    ]);
  });
});

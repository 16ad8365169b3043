import { envelope, fold } from '../../test/events.fixture';
import { inventoryStatusProjection } from './inventory-status.projection';

const apply = inventoryStatusProjection.apply.bind(inventoryStatusProjection);
const set = (version: number, onHand: number, previousOnHand = 0) =>
  envelope('InventoryUpdated', 'sku-a', version, {
    productId: 'sku-a',
    name: 'Widget',
    previousOnHand,
    onHand,
    kind: 'SET',
    reason: null,
  });

describe('InventoryStatus projection', () => {
  it('tracks on-hand, allocated, available and status', () => {
    const document = fold(apply, [
      set(1, 10),
      envelope('InventoryAllocated', 'sku-a', 2, { productId: 'sku-a', orderId: 'o1', quantity: 4 }),
      envelope('InventoryAllocated', 'sku-a', 3, { productId: 'sku-a', orderId: 'o2', quantity: 6 }),
    ]);
    expect(document).toMatchObject({
      _id: 'sku-a',
      name: 'Widget',
      onHand: 10,
      allocated: 10,
      available: 0,
      status: 'OUT_OF_STOCK',
      version: 3,
    });
  });

  it('returns and ships what the events say, including what came out of allocations', () => {
    const document = fold(apply, [
      set(1, 10),
      envelope('InventoryAllocated', 'sku-a', 2, { productId: 'sku-a', orderId: 'o1', quantity: 4 }),
      envelope('InventoryReturned', 'sku-a', 3, { productId: 'sku-a', orderId: 'o1', quantity: 1 }),
      envelope('InventoryShipped', 'sku-a', 4, { productId: 'sku-a', orderId: 'o1', quantity: 4, fromAllocation: 3 }),
    ]);
    expect(document).toMatchObject({ onHand: 6, allocated: 0, available: 6, status: 'AVAILABLE', version: 4 });
  });

  it('stays DISCONTINUED once discontinued, whatever the stock', () => {
    const document = fold(apply, [
      set(1, 10),
      envelope('InventoryDiscontinued', 'sku-a', 2, { productId: 'sku-a' }),
      set(3, 20, 10),
    ]);
    expect(document).toMatchObject({ onHand: 20, available: 20, status: 'DISCONTINUED', discontinued: true });
  });
});

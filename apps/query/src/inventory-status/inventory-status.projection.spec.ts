import { envelope } from '../../test/events.fixture';
import { projectionSpecification } from '../../test/projection-specification';
import { inventoryStatusProjection } from './inventory-status.projection';

const { given } = projectionSpecification(inventoryStatusProjection);
const set = (version: number, onHand: number, previousOnHand = 0) =>
  envelope('InventoryUpdated', 'sku-a', version, {
    productId: 'sku-a',
    name: 'Widget',
    previousOnHand,
    onHand,
    kind: 'SET',
    reason: null,
  });
const allocated = (version: number, orderId: string, quantity: number) =>
  envelope('InventoryAllocated', 'sku-a', version, { productId: 'sku-a', orderId, quantity });

describe('InventoryStatus projection', () => {
  it('tracks on-hand, allocated, available and status', () => {
    given(set(1, 10))
      .when(allocated(2, 'o1', 4), allocated(3, 'o2', 6))
      .then({
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
    given(set(1, 10), allocated(2, 'o1', 4))
      .when(
        envelope('InventoryReturned', 'sku-a', 3, { productId: 'sku-a', orderId: 'o1', quantity: 1 }),
        envelope('InventoryShipped', 'sku-a', 4, { productId: 'sku-a', orderId: 'o1', quantity: 4, fromAllocation: 3 }),
      )
      .then({ onHand: 6, allocated: 0, available: 6, status: 'AVAILABLE', version: 4 });
  });

  it('stays DISCONTINUED once discontinued, whatever the stock', () => {
    given(set(1, 10), envelope('InventoryDiscontinued', 'sku-a', 2, { productId: 'sku-a' }))
      .when(set(3, 20, 10))
      .then({ onHand: 20, available: 20, status: 'DISCONTINUED', discontinued: true });
  });

  it('cannot apply a change to a product it never saw created', () => {
    given()
      .when(allocated(1, 'o1', 1))
      .thenFails(/./);
  });
});

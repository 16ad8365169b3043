import { specificationFor } from '../../testing/decider-specification';
import type { InventoryCommand } from './inventory.commands';
import { inventoryDecider } from './inventory.decider';
import type { InventoryEvent } from './inventory.events';
import { availableOf, type ExistingInventory, statusOfInventory } from './inventory.state';

const spec = specificationFor(inventoryDecider);
const productId = 'sku-a';
const order1 = '11111111-1111-4111-8111-111111111111';
const order2 = '22222222-2222-4222-8222-222222222222';

const stocked = (onHand: number, previousOnHand = 0): InventoryEvent => ({
  type: 'InventoryUpdated',
  data: { productId, name: 'Widget', previousOnHand, onHand, kind: 'SET', reason: null },
});
const allocated = (orderId: string, quantity: number): InventoryEvent => ({
  type: 'InventoryAllocated',
  data: { productId, orderId, quantity },
});
const discontinued: InventoryEvent = { type: 'InventoryDiscontinued', data: { productId } };
const cmd = <T extends InventoryCommand['type']>(
  type: T,
  data: Omit<Extract<InventoryCommand, { type: T }>['data'], 'productId'>,
) => ({ type, data: { productId, ...data } }) as InventoryCommand;

describe('Inventory decider', () => {
  describe('SetStock', () => {
    it('creates a product with its on-hand stock', () => {
      spec
        .given([])
        .when(cmd('SetStock', { quantity: 10, name: 'Widget' }))
        .then([stocked(10)]);
    });

    it('sets new on-hand stock and keeps the name when none is given', () => {
      spec
        .given([stocked(10)])
        .when(cmd('SetStock', { quantity: 25, name: null }))
        .then([stocked(25, 10)]);
    });

    it('records nothing when neither stock nor name changes', () => {
      spec
        .given([stocked(10)])
        .when(cmd('SetStock', { quantity: 10, name: 'Widget' }))
        .then([]);
    });

    it('cannot set on-hand below what is allocated', () => {
      spec
        .given([stocked(10), allocated(order1, 6)])
        .when(cmd('SetStock', { quantity: 5, name: null }))
        .thenThrows('BELOW_ALLOCATED', { allocated: 6, requestedOnHand: 5 });
    });

    it.each([-1, 2.5])('rejects a quantity of %p', (quantity) => {
      spec
        .given([])
        .when(cmd('SetStock', { quantity, name: null }))
        .thenThrows('INVALID_QUANTITY');
    });
  });

  describe('AdjustStock', () => {
    it('restocks and records the reason', () => {
      spec
        .given([stocked(10)])
        .when(cmd('AdjustStock', { delta: 5, reason: 'restock' }))
        .then([
          {
            type: 'InventoryUpdated',
            data: { productId, name: 'Widget', previousOnHand: 10, onHand: 15, kind: 'ADJUSTMENT', reason: 'restock' },
          },
        ]);
    });

    it('records shrinkage down to what is allocated, not below', () => {
      spec
        .given([stocked(10), allocated(order1, 4)])
        .when(cmd('AdjustStock', { delta: -6, reason: 'damaged' }))
        .then([
          {
            type: 'InventoryUpdated',
            data: { productId, name: 'Widget', previousOnHand: 10, onHand: 4, kind: 'ADJUSTMENT', reason: 'damaged' },
          },
        ]);
      spec
        .given([stocked(10), allocated(order1, 4)])
        .when(cmd('AdjustStock', { delta: -7, reason: 'lost' }))
        .thenThrows('BELOW_ALLOCATED');
    });

    it('cannot take on-hand below zero, nor adjust by zero, nor adjust an unknown product', () => {
      spec
        .given([stocked(3)])
        .when(cmd('AdjustStock', { delta: -4, reason: 'lost' }))
        .thenThrows('BELOW_ALLOCATED');
      spec
        .given([stocked(3)])
        .when(cmd('AdjustStock', { delta: 0, reason: 'x' }))
        .thenThrows('INVALID_QUANTITY');
      spec
        .given([])
        .when(cmd('AdjustStock', { delta: 1, reason: 'x' }))
        .thenThrows('PRODUCT_NOT_FOUND', { productId });
    });
  });

  describe('DiscontinueProduct', () => {
    it('discontinues once; again records nothing', () => {
      spec
        .given([stocked(3)])
        .when(cmd('DiscontinueProduct', {}))
        .then([discontinued]);
      spec
        .given([stocked(3), discontinued])
        .when(cmd('DiscontinueProduct', {}))
        .then([]);
    });

    it('cannot discontinue an unknown product', () => {
      spec.given([]).when(cmd('DiscontinueProduct', {})).thenThrows('PRODUCT_NOT_FOUND');
    });
  });

  describe('AllocateStock', () => {
    it('allocates available stock to an order', () => {
      spec
        .given([stocked(10)])
        .when(cmd('AllocateStock', { orderId: order1, quantity: 10 }))
        .then([allocated(order1, 10)]);
    });

    it('cannot allocate more than is available', () => {
      spec
        .given([stocked(10), allocated(order1, 8)])
        .when(cmd('AllocateStock', { orderId: order2, quantity: 3 }))
        .thenThrows('INSUFFICIENT_INVENTORY', { products: [{ productId, requested: 3, available: 2 }] });
    });

    it('allocates nothing new from a discontinued product', () => {
      spec
        .given([stocked(10), discontinued])
        .when(cmd('AllocateStock', { orderId: order1, quantity: 1 }))
        .thenThrows('PRODUCT_DISCONTINUED');
    });

    it('cannot allocate from an unknown product or a non-positive quantity', () => {
      spec
        .given([])
        .when(cmd('AllocateStock', { orderId: order1, quantity: 1 }))
        .thenThrows('PRODUCT_NOT_FOUND');
      spec
        .given([stocked(10)])
        .when(cmd('AllocateStock', { orderId: order1, quantity: 0 }))
        .thenThrows('INVALID_QUANTITY');
    });
  });

  describe('ReturnStock', () => {
    it('returns what an order holds', () => {
      spec
        .given([stocked(10), allocated(order1, 4)])
        .when(cmd('ReturnStock', { orderId: order1, quantity: 4 }))
        .then([{ type: 'InventoryReturned', data: { productId, orderId: order1, quantity: 4 } }]);
    });

    it('can never return more than that order holds, even if others hold more', () => {
      spec
        .given([stocked(10), allocated(order1, 2), allocated(order2, 5)])
        .when(cmd('ReturnStock', { orderId: order1, quantity: 3 }))
        .thenThrows('RETURN_EXCEEDS_ALLOCATION', { held: 2, requested: 3 });
    });
  });

  describe('ShipStock', () => {
    it('ships what the order holds', () => {
      spec
        .given([stocked(10), allocated(order1, 4)])
        .when(cmd('ShipStock', { orderId: order1, quantity: 4 }))
        .then([{ type: 'InventoryShipped', data: { productId, orderId: order1, quantity: 4, fromAllocation: 4 } }]);
    });

    it('records how much of a shipment came out of the allocation when the order holds less', () => {
      spec
        .given([
          stocked(10),
          allocated(order1, 4),
          { type: 'InventoryReturned', data: { productId, orderId: order1, quantity: 3 } },
        ])
        .when(cmd('ShipStock', { orderId: order1, quantity: 2 }))
        .then([{ type: 'InventoryShipped', data: { productId, orderId: order1, quantity: 2, fromAllocation: 1 } }]);
    });

    it('cannot ship more than the order holds plus free stock', () => {
      spec
        .given([stocked(5), allocated(order1, 2), allocated(order2, 3)])
        .when(cmd('ShipStock', { orderId: order1, quantity: 3 }))
        .thenThrows('INSUFFICIENT_INVENTORY');
    });
  });

  describe('evolve', () => {
    it('keeps on-hand, per-order allocations, available and status consistent', () => {
      const state = spec.given([
        stocked(10),
        allocated(order1, 4),
        allocated(order2, 6),
        { type: 'InventoryReturned', data: { productId, orderId: order2, quantity: 2 } },
        { type: 'InventoryShipped', data: { productId, orderId: order1, quantity: 4, fromAllocation: 4 } },
      ]).state as ExistingInventory;
      expect(state).toMatchObject({ onHand: 6, allocated: 4 });
      expect([...state.allocations]).toEqual([[order2, 4]]);
      expect(availableOf(state)).toBe(2);
      expect(statusOfInventory(state)).toBe('AVAILABLE');
    });

    it('is OUT_OF_STOCK with nothing available and DISCONTINUED once discontinued', () => {
      const out = spec.given([stocked(3), allocated(order1, 3)]).state as ExistingInventory;
      expect(statusOfInventory(out)).toBe('OUT_OF_STOCK');
      const gone = spec.given([stocked(3), discontinued]).state as ExistingInventory;
      expect(statusOfInventory(gone)).toBe('DISCONTINUED');
    });
  });
});

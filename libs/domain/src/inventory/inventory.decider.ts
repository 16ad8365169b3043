import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import type { InventoryCommand } from './inventory.commands';
import type { InventoryEvent } from './inventory.events';
import { availableOf, type ExistingInventory, heldBy, type InventoryState, NO_INVENTORY } from './inventory.state';

export const MAX_ON_HAND = 1_000_000_000;

function requireProduct(state: InventoryState, productId: string): ExistingInventory {
  if (!state.exists) throw new DomainError('PRODUCT_NOT_FOUND', `Product ${productId} does not exist.`, { productId });
  return state;
}

function requirePositive(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_ON_HAND) {
    throw new DomainError('INVALID_QUANTITY', `The quantity must be a whole number from 1 to ${MAX_ON_HAND}.`, {
      quantity,
    });
  }
}

function belowAllocated(product: ExistingInventory, onHand: number): DomainError {
  return new DomainError(
    'BELOW_ALLOCATED',
    `Product ${product.productId} has ${product.allocated} units allocated; on-hand cannot be ${onHand}.`,
    { productId: product.productId, requestedOnHand: onHand, allocated: product.allocated },
  );
}

export function decide(command: InventoryCommand, state: InventoryState): InventoryEvent[] {
  const { productId } = command.data;
  switch (command.type) {
    case 'SetStock': {
      const { quantity, name } = command.data;
      if (!Number.isSafeInteger(quantity) || quantity < 0 || quantity > MAX_ON_HAND) {
        throw new DomainError('INVALID_QUANTITY', `The quantity must be a whole number from 0 to ${MAX_ON_HAND}.`);
      }
      const previousOnHand = state.exists ? state.onHand : 0;
      const currentName = state.exists ? state.name : null;
      if (state.exists && quantity < state.allocated) throw belowAllocated(state, quantity);
      const newName = name ?? currentName;
      if (state.exists && quantity === previousOnHand && newName === currentName) return [];
      return [
        {
          type: 'InventoryUpdated',
          data: { productId, name: newName, previousOnHand, onHand: quantity, kind: 'SET', reason: null },
        },
      ];
    }
    case 'AdjustStock': {
      const product = requireProduct(state, productId);
      const { delta, reason } = command.data;
      if (!Number.isSafeInteger(delta) || delta === 0) {
        throw new DomainError('INVALID_QUANTITY', 'delta must be a non-zero whole number.', { delta });
      }
      const onHand = product.onHand + delta;
      if (onHand > MAX_ON_HAND) throw new DomainError('INVALID_QUANTITY', `On-hand cannot exceed ${MAX_ON_HAND}.`);
      if (onHand < product.allocated) throw belowAllocated(product, onHand);
      return [
        {
          type: 'InventoryUpdated',
          data: { productId, name: product.name, previousOnHand: product.onHand, onHand, kind: 'ADJUSTMENT', reason },
        },
      ];
    }
    case 'DiscontinueProduct': {
      const product = requireProduct(state, productId);
      return product.discontinued ? [] : [{ type: 'InventoryDiscontinued', data: { productId } }];
    }
    case 'AllocateStock': {
      const product = requireProduct(state, productId);
      const { orderId, quantity } = command.data;
      requirePositive(quantity);
      if (product.discontinued) {
        throw new DomainError('PRODUCT_DISCONTINUED', `Product ${productId} is discontinued.`, { productId });
      }
      if (quantity > availableOf(product)) {
        throw new DomainError('INSUFFICIENT_INVENTORY', `Not enough of ${productId} available.`, {
          products: [{ productId, requested: quantity, available: availableOf(product) }],
        });
      }
      return [{ type: 'InventoryAllocated', data: { productId, orderId, quantity } }];
    }
    case 'ReturnStock': {
      const product = requireProduct(state, productId);
      const { orderId, quantity } = command.data;
      requirePositive(quantity);
      if (quantity > heldBy(product, orderId)) {
        throw new DomainError(
          'RETURN_EXCEEDS_ALLOCATION',
          `Order ${orderId} holds ${heldBy(product, orderId)} of ${productId}; cannot return ${quantity}.`,
          { productId, orderId, requested: quantity, held: heldBy(product, orderId) },
        );
      }
      return [{ type: 'InventoryReturned', data: { productId, orderId, quantity } }];
    }
    case 'ShipStock': {
      const product = requireProduct(state, productId);
      const { orderId, quantity } = command.data;
      requirePositive(quantity);
      // What the order holds ships first; any rest must come from free stock.
      const fromFree = Math.max(0, quantity - heldBy(product, orderId));
      if (fromFree > availableOf(product)) {
        throw new DomainError('INSUFFICIENT_INVENTORY', `Not enough of ${productId} to ship.`, {
          products: [{ productId, requested: quantity, available: availableOf(product) + heldBy(product, orderId) }],
        });
      }
      return [
        {
          type: 'InventoryShipped',
          data: { productId, orderId, quantity, fromAllocation: Math.min(heldBy(product, orderId), quantity) },
        },
      ];
    }
  }
}

function release(state: ExistingInventory, orderId: string, quantity: number): number {
  const held = heldBy(state, orderId);
  const released = Math.min(held, quantity);
  if (held - released > 0) state.allocations.set(orderId, held - released);
  else state.allocations.delete(orderId);
  return released;
}

export function evolve(state: InventoryState, event: InventoryEvent): InventoryState {
  if (event.type === 'InventoryUpdated') {
    if (!state.exists) {
      return {
        exists: true,
        productId: event.data.productId,
        name: event.data.name,
        onHand: event.data.onHand,
        allocated: 0,
        allocations: new Map(),
        discontinued: false,
      };
    }
    return { ...state, name: event.data.name, onHand: event.data.onHand };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'InventoryAllocated': {
      const { orderId, quantity } = event.data;
      state.allocations.set(orderId, heldBy(state, orderId) + quantity);
      return { ...state, allocated: state.allocated + quantity };
    }
    case 'InventoryReturned': {
      const released = release(state, event.data.orderId, event.data.quantity);
      return { ...state, allocated: state.allocated - released };
    }
    case 'InventoryShipped': {
      const { orderId, quantity, fromAllocation } = event.data;
      const released = release(state, orderId, fromAllocation);
      return { ...state, allocated: state.allocated - released, onHand: state.onHand - quantity };
    }
    case 'InventoryDiscontinued':
      return { ...state, discontinued: true };
  }
}

export const inventoryDecider: Decider<InventoryCommand, InventoryEvent, InventoryState> = {
  initialState: () => NO_INVENTORY,
  decide,
  evolve,
};

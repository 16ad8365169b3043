import type { InventoryStatus } from './inventory.events';

export interface ExistingInventory {
  exists: true;
  productId: string;
  name: string | null;
  onHand: number;
  /** Sum of `allocations`, kept so reads are O(1). */
  allocated: number;
  /**
   * Units held per order. A hot product can hold thousands of orders, so
   * `evolve` updates this map in place instead of copying it per event: the
   * event store owns each state and never keeps an older one around.
   */
  allocations: Map<string, number>;
  discontinued: boolean;
}

export type InventoryState = { exists: false } | ExistingInventory;

export const NO_INVENTORY: InventoryState = { exists: false };

export function availableOf(state: ExistingInventory): number {
  return state.onHand - state.allocated;
}

export function statusOfInventory(state: ExistingInventory): InventoryStatus {
  if (state.discontinued) return 'DISCONTINUED';
  return availableOf(state) > 0 ? 'AVAILABLE' : 'OUT_OF_STOCK';
}

export function heldBy(state: ExistingInventory, orderId: string): number {
  return state.allocations.get(orderId) ?? 0;
}

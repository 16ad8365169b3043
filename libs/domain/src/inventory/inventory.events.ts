export const INVENTORY_STATUSES = ['AVAILABLE', 'OUT_OF_STOCK', 'DISCONTINUED'] as const;
export type InventoryStatus = (typeof INVENTORY_STATUSES)[number];

/** On-hand stock set (PUT) or adjusted (restock, shrinkage). */
export interface InventoryUpdated {
  type: 'InventoryUpdated';
  data: {
    productId: string;
    name: string | null;
    previousOnHand: number;
    onHand: number;
    kind: 'SET' | 'ADJUSTMENT';
    reason: string | null;
  };
}

export interface InventoryAllocated {
  type: 'InventoryAllocated';
  data: { productId: string; orderId: string; quantity: number };
}

export interface InventoryReturned {
  type: 'InventoryReturned';
  data: { productId: string; orderId: string; quantity: number };
}

/**
 * Stock left the warehouse with a shipment: on-hand drops by `quantity`, the
 * order's allocation by `fromAllocation` (what it held, at most `quantity`).
 */
export interface InventoryShipped {
  type: 'InventoryShipped';
  data: { productId: string; orderId: string; quantity: number; fromAllocation: number };
}

export interface InventoryDiscontinued {
  type: 'InventoryDiscontinued';
  data: { productId: string };
}

export type InventoryEvent =
  InventoryUpdated | InventoryAllocated | InventoryReturned | InventoryShipped | InventoryDiscontinued;
export type InventoryEventType = InventoryEvent['type'];

export interface SetStock {
  type: 'SetStock';
  data: { productId: string; quantity: number; name: string | null };
}

export interface AdjustStock {
  type: 'AdjustStock';
  data: { productId: string; delta: number; reason: string };
}

export interface DiscontinueProduct {
  type: 'DiscontinueProduct';
  data: { productId: string };
}

export interface AllocateStock {
  type: 'AllocateStock';
  data: { productId: string; orderId: string; quantity: number };
}

export interface ReturnStock {
  type: 'ReturnStock';
  data: { productId: string; orderId: string; quantity: number };
}

export interface ShipStock {
  type: 'ShipStock';
  data: { productId: string; orderId: string; quantity: number };
}

export type InventoryCommand = SetStock | AdjustStock | DiscontinueProduct | AllocateStock | ReturnStock | ShipStock;

import type { InventoryStatusDocument } from './inventory-status.document';

export function inventoryStatusView(document: InventoryStatusDocument): Record<string, unknown> {
  return {
    productId: document._id,
    name: document.name,
    onHand: document.onHand,
    allocated: document.allocated,
    available: document.available,
    status: document.status,
    version: document.version,
    updatedAt: document.updatedAt,
  };
}

import type { InventoryEnvelope } from '@of/contracts';
import type { InventoryStatus } from '@of/domain';
import { type Projection, unhandledEvent } from '../projections/projection';
import type { InventoryStatusDocument } from './inventory-status.document';

function withTotals(
  document: InventoryStatusDocument,
  onHand: number,
  allocated: number,
  event: InventoryEnvelope,
): InventoryStatusDocument {
  const available = onHand - allocated;
  const status: InventoryStatus = document.discontinued ? 'DISCONTINUED' : available > 0 ? 'AVAILABLE' : 'OUT_OF_STOCK';
  return {
    ...document,
    onHand,
    allocated,
    available,
    status,
    version: event.aggregateVersion,
    updatedAt: event.occurredAt,
  };
}

/** InventoryStatus: on-hand, allocated, available and status per product. */
export const inventoryStatusProjection: Projection<InventoryStatusDocument, InventoryEnvelope> = {
  name: 'inventory_status',
  aggregateType: 'Inventory',
  queries: { filters: ['status'], order: 'id' },

  apply(document, event) {
    if (event.eventType === 'InventoryUpdated') {
      const { payload } = event;
      const current: InventoryStatusDocument = document ?? {
        _id: payload.productId,
        version: 0,
        name: null,
        onHand: 0,
        allocated: 0,
        available: 0,
        status: 'OUT_OF_STOCK',
        discontinued: false,
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
      };
      return withTotals({ ...current, name: payload.name }, payload.onHand, current.allocated, event);
    }
    if (!document) throw new Error(`${event.eventType} before InventoryUpdated for product ${event.aggregateId}`);
    switch (event.eventType) {
      case 'InventoryAllocated': {
        const { quantity } = event.payload;
        return withTotals(document, document.onHand, document.allocated + quantity, event);
      }
      case 'InventoryReturned': {
        const { quantity } = event.payload;
        return withTotals(document, document.onHand, document.allocated - quantity, event);
      }
      case 'InventoryShipped': {
        const { quantity, fromAllocation } = event.payload;
        return withTotals(document, document.onHand - quantity, document.allocated - fromAllocation, event);
      }
      case 'InventoryDiscontinued':
        return withTotals({ ...document, discontinued: true }, document.onHand, document.allocated, event);
      default:
        return unhandledEvent('inventory status', event);
    }
  },
};

import type { EventPayload } from '@of/contracts';
import type { Projection } from '../projections/projection';
import { packingCodec } from '../projections/stored-document';
import type { CustomerOrderDocument, CustomerOrderEntry, CustomerSummary } from './customer-history.document';

/**
 * A customer's orders newest first, with order count, spent per currency
 * (cancelled orders excluded) and last order time. Every entry is
 * version-checked on its own, so a redelivered event can never count twice.
 */
export function summarizeCustomer(customerId: string, entries: readonly CustomerOrderDocument[]): CustomerSummary {
  const orders = entries
    .map((document): CustomerOrderEntry => ({
      orderId: document._id,
      status: document.status,
      currency: document.currency,
      totalMinor: document.totalMinor,
      itemCount: document.itemCount,
      createdAt: document.createdAt,
      version: document.version,
    }))
    .sort((a, b) =>
      a.createdAt === b.createdAt ? (a.orderId < b.orderId ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
  const totalSpentMinor: Record<string, number> = {};
  for (const entry of orders) {
    if (entry.status !== 'CANCELLED')
      totalSpentMinor[entry.currency] = (totalSpentMinor[entry.currency] ?? 0) + entry.totalMinor;
  }
  return { customerId, orders, orderCount: orders.length, totalSpentMinor, lastOrderAt: orders[0]?.createdAt ?? null };
}

/** CustomerOrderHistory: one entry per order, found by its customer (see summarizeCustomer). */
export const customerHistoryProjection: Projection<CustomerOrderDocument> = {
  name: 'customer_order_history',
  aggregateType: 'Order',
  indexes: [{ key: { customerId: 1 }, name: 'by_customer' }],
  storage: packingCodec<CustomerOrderDocument>(['customerId']),

  apply(document, event) {
    if (event.eventType === 'OrderCreated') {
      const payload = event.payload as EventPayload<'OrderCreated'>;
      return {
        _id: payload.orderId,
        version: event.aggregateVersion,
        customerId: payload.customerId,
        status: 'REGISTERED',
        currency: payload.currency,
        totalMinor: payload.totalMinor,
        itemCount: payload.lines.reduce((sum, line) => sum + line.quantity, 0),
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
      };
    }
    if (!document) throw new Error(`${event.eventType} before OrderCreated for order ${event.aggregateId}`);
    const moved = { ...document, version: event.aggregateVersion, updatedAt: event.occurredAt };
    if (event.eventType === 'OrderCancelled') return { ...moved, status: 'CANCELLED' };
    if (event.eventType === 'OrderStatusUpdated')
      return { ...moved, status: (event.payload as EventPayload<'OrderStatusUpdated'>).status };
    // Shipments and deliveries change nothing here but the version.
    return moved;
  },
};

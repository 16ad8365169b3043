import type { EventPayload } from '@of/contracts';
import type { Projection } from '../projections/projection';
import { findByIds, replaceAllById } from '../projections/document-io';
import type { CustomerOrderDocument, CustomerOrderEntry, CustomerSummaryDocument } from './customer-history.document';

export const CUSTOMER_SUMMARIES = 'customer_summaries';

/**
 * Merges changed entries into a customer's list (an entry only ever moves to
 * a higher version) and recomputes the totals: count, spent per currency with
 * cancelled orders excluded, last order time. Applying the same change twice
 * gives the same document.
 */
export function mergeCustomer(
  customerId: string,
  existing: CustomerSummaryDocument | null,
  changed: CustomerOrderDocument[],
  now: string,
): CustomerSummaryDocument {
  const orders = new Map<string, CustomerOrderEntry>((existing?.orders ?? []).map((entry) => [entry.orderId, entry]));
  for (const document of changed) {
    const known = orders.get(document._id);
    if (known && known.version >= document.version) continue;
    orders.set(document._id, {
      orderId: document._id,
      status: document.status,
      currency: document.currency,
      totalMinor: document.totalMinor,
      itemCount: document.itemCount,
      createdAt: document.createdAt,
      version: document.version,
    });
  }
  const sorted = [...orders.values()].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.orderId < b.orderId ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
  );
  const totalSpentMinor: Record<string, number> = {};
  for (const entry of sorted) {
    if (entry.status !== 'CANCELLED')
      totalSpentMinor[entry.currency] = (totalSpentMinor[entry.currency] ?? 0) + entry.totalMinor;
  }
  return {
    _id: customerId,
    orders: sorted,
    orderCount: sorted.length,
    totalSpentMinor,
    lastOrderAt: sorted[0]?.createdAt ?? null,
    updatedAt: now,
  };
}

/**
 * CustomerOrderHistory. Entries (one per order) are version-checked like
 * every read model; each customer's document is merged from them after each
 * batch, so a redelivered event can never count twice (no increments to lose
 * or repeat).
 */
export const customerHistoryProjection: Projection<CustomerOrderDocument> = {
  name: 'customer_order_history',
  aggregateType: 'Order',
  indexes: [],
  extraCollections: [{ name: CUSTOMER_SUMMARIES, indexes: [] }],

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

  async afterWrite(db, collection, changed) {
    const summaries = db.collection<CustomerSummaryDocument>(collection(CUSTOMER_SUMMARIES));
    const byCustomer = new Map<string, CustomerOrderDocument[]>();
    for (const entry of changed) byCustomer.set(entry.customerId, [...(byCustomer.get(entry.customerId) ?? []), entry]);
    const now = new Date().toISOString();
    const existing = await findByIds(summaries, [...byCustomer.keys()]);
    const replacements = [...byCustomer].map(([customerId, entries]) =>
      mergeCustomer(customerId, existing.get(customerId) ?? null, entries, now),
    );
    await replaceAllById(summaries, replacements);
  },
};

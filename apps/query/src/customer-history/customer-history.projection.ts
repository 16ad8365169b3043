import type { OrderEnvelope } from '@of/contracts';
import type { Projection } from '../projections/projection';
import type { CustomerOrderDocument } from './customer-history.document';
import { CUSTOMER_LEDGERS, customerLedgerStep } from './customer-ledger.step';

/**
 * CustomerOrderHistory: one small entry per order, and per customer a ledger
 * kept as events arrive (order count, spent per currency without cancelled
 * orders, last order time) that numbers the customer's orders. A page of
 * history reads the ledger and the entries numbered in the page's range.
 */
export const customerHistoryProjection: Projection<CustomerOrderDocument, OrderEnvelope> = {
  name: 'customer_order_history',
  aggregateType: 'Order',
  // A page of a customer's history is a range of the numbers its ledger gave (see customer-ledger.ts).
  queries: { filters: ['customerId'], order: 'sequence', lists: [['customerId']] },
  shared: [CUSTOMER_LEDGERS],
  prepare: customerLedgerStep,

  apply(document, event) {
    if (event.eventType === 'OrderCreated') {
      const { payload } = event;
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
    if (event.eventType === 'OrderStatusUpdated') return { ...moved, status: event.payload.status };
    // Shipments and deliveries change nothing here but the version.
    return moved;
  },
};

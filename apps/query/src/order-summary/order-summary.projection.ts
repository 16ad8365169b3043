import type { OrderEnvelope } from '@of/contracts';
import { type Projection, unhandledEvent } from '../projections/projection';
import type { OrderSummaryDocument } from './order-summary.document';
import { addToLines } from './order-lines';

function requireDocument(document: OrderSummaryDocument | null, event: OrderEnvelope): OrderSummaryDocument {
  if (!document) throw new Error(`${event.eventType} before OrderCreated for order ${event.aggregateId}`);
  return document;
}

/** OrderSummary: one document per order, with per-line ordered / shipped / delivered. */
export const orderSummaryProjection: Projection<OrderSummaryDocument, OrderEnvelope> = {
  name: 'order_summaries',
  aggregateType: 'Order',
  // Listed newest first: all, by status, by customer, by customer and status.
  queries: {
    filters: ['status', 'customerId'],
    order: 'creation',
    lists: [[], ['status'], ['customerId'], ['customerId', 'status']],
  },

  apply(document, event) {
    const base = { version: event.aggregateVersion, updatedAt: event.occurredAt };
    switch (event.eventType) {
      case 'OrderCreated': {
        const { payload } = event;
        return {
          _id: payload.orderId,
          ...base,
          customerId: payload.customerId,
          status: 'REGISTERED',
          currency: payload.currency,
          lines: payload.lines.map((line) => ({
            productId: line.productId,
            ordered: line.quantity,
            shipped: 0,
            delivered: 0,
            unitPriceMinor: line.unitPriceMinor,
          })),
          totalMinor: payload.totalMinor,
          shippingAddress: payload.shippingAddress,
          billingAddress: payload.billingAddress,
          issuedAt: payload.issuedAt,
          createdAt: event.occurredAt,
          cancelledAt: null,
          cancellationReason: null,
        };
      }
      case 'OrderItemsShipped': {
        const current = requireDocument(document, event);
        return { ...current, ...base, lines: addToLines(current.lines, event, 'shipped') };
      }
      case 'OrderItemsDelivered': {
        const current = requireDocument(document, event);
        return { ...current, ...base, lines: addToLines(current.lines, event, 'delivered') };
      }
      case 'OrderStatusUpdated': {
        const { status } = event.payload;
        return { ...requireDocument(document, event), ...base, status };
      }
      case 'OrderCancelled': {
        const { reason } = event.payload;
        return {
          ...requireDocument(document, event),
          ...base,
          status: 'CANCELLED',
          cancelledAt: event.occurredAt,
          cancellationReason: reason,
        };
      }
      default:
        return unhandledEvent('order summary', event);
    }
  },
};

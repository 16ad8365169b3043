import { extended } from '@of/platform';
import type { OrderEnvelope } from '@of/contracts';
import { addToLines } from '../order-summary/order-lines';
import { type Projection, unhandledEvent } from '../projections/projection';
import type { FulfillmentQueueDocument, QueueLine } from './fulfillment-queue.document';

function withLines(
  document: FulfillmentQueueDocument,
  lines: QueueLine[],
  event: OrderEnvelope,
): FulfillmentQueueDocument {
  const withRemaining = lines.map((line) => extended(line, { remaining: line.ordered - line.shipped }));
  const itemsRemaining = withRemaining.reduce((sum, line) => sum + line.remaining, 0);
  return {
    ...document,
    lines: withRemaining,
    itemsRemaining,
    open: document.status !== 'CANCELLED' && itemsRemaining > 0,
    version: event.aggregateVersion,
    updatedAt: event.occurredAt,
  };
}

/** FulfillmentWorkQueue: orders with something left to ship, oldest first. */
export const fulfillmentQueueProjection: Projection<FulfillmentQueueDocument, OrderEnvelope> = {
  name: 'fulfillment_queue',
  aggregateType: 'Order',
  // Open orders, oldest first, by status or not.
  queries: {
    filters: ['open', 'status'],
    order: 'creation',
    lists: [['open'], ['open', 'status']],
  },

  apply(document, event) {
    if (event.eventType === 'OrderCreated') {
      const { payload } = event;
      const created: FulfillmentQueueDocument = {
        _id: payload.orderId,
        version: 0,
        customerId: payload.customerId,
        status: 'REGISTERED',
        open: true,
        lines: [],
        itemsRemaining: 0,
        shippingAddress: {
          city: payload.shippingAddress.city,
          country: payload.shippingAddress.country,
          zipcode: payload.shippingAddress.zipcode,
        },
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
      };
      const lines = payload.lines.map((line) => ({
        productId: line.productId,
        ordered: line.quantity,
        shipped: 0,
        delivered: 0,
        remaining: line.quantity,
      }));
      return withLines(created, lines, event);
    }
    if (!document) throw new Error(`${event.eventType} before OrderCreated for order ${event.aggregateId}`);
    switch (event.eventType) {
      case 'OrderItemsShipped':
        return withLines(document, addToLines(document.lines, event, 'shipped'), event);
      case 'OrderItemsDelivered':
        return withLines(document, addToLines(document.lines, event, 'delivered'), event);
      case 'OrderStatusUpdated': {
        const { status } = event.payload;
        return withLines({ ...document, status }, document.lines, event);
      }
      case 'OrderCancelled':
        return withLines({ ...document, status: 'CANCELLED' }, document.lines, event);
      default:
        return unhandledEvent('fulfillment queue', event);
    }
  },
};

import type { EventPayload, EventType, ValidEvent } from '@of/contracts';
import { ADDRESS } from '../../../test/support/fixtures';

let clock = Date.parse('2026-11-21T10:00:00.000Z');

/** Envelopes as the command app publishes them, for projection tests. */
export function envelope<T extends EventType>(
  eventType: T,
  aggregateId: string,
  aggregateVersion: number,
  payload: EventPayload<T>,
): ValidEvent<T> {
  clock += 1000;
  return {
    eventId: `${aggregateId}-${aggregateVersion}`,
    eventType,
    schemaVersion: 1,
    aggregateType: eventType.startsWith('Order') ? 'Order' : 'Inventory',
    aggregateId,
    aggregateVersion,
    occurredAt: new Date(clock).toISOString(),
    correlationId: 'test',
    causationId: null,
    payload,
  };
}

export function orderCreated(orderId: string, customerId = 'cust-1', currency = 'EUR'): ValidEvent<'OrderCreated'> {
  return envelope('OrderCreated', orderId, 1, {
    orderId,
    customerId,
    currency,
    lines: [
      { productId: 'sku-a', quantity: 2, unitPriceMinor: 1000 },
      { productId: 'sku-b', quantity: 1, unitPriceMinor: 550 },
    ],
    totalMinor: 2550,
    shippingAddress: ADDRESS,
    billingAddress: ADDRESS,
    issuedAt: null,
  });
}

export function fold<D, E extends ValidEvent>(apply: (document: D | null, event: E) => D, events: E[]): D {
  return events.reduce<D | null>((document, event) => apply(document, event), null) as D;
}

import { z } from 'zod';
import type { EventEnvelope } from '../event-envelope';

/*
 * The published payload of every event type at its current schemaVersion.
 * Producers validate before publishing; consumers validate after upcasting.
 */

const id = z.string().min(1).max(64);
const quantity = z.number().int().positive();
const nonNegative = z.number().int().nonnegative();
const itemQuantity = z.object({ productId: id, quantity }).strict();
const address = z
  .object({ street: z.string(), city: z.string(), state: z.string(), zipcode: z.string(), country: z.string() })
  .strict();
const orderStatus = z.enum([
  'REGISTERED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'PARTIALLY_DELIVERED',
  'DELIVERED',
  'CANCELLED',
]);

export const EVENT_SCHEMAS = {
  OrderCreated: z
    .object({
      orderId: id,
      customerId: id,
      currency: z.string().length(3),
      lines: z.array(z.object({ productId: id, quantity, unitPriceMinor: nonNegative }).strict()).min(1),
      totalMinor: nonNegative,
      shippingAddress: address,
      billingAddress: address,
      issuedAt: z.string().nullable(),
    })
    .strict(),
  OrderItemsShipped: z.object({ orderId: id, items: z.array(itemQuantity).min(1) }).strict(),
  OrderItemsDelivered: z.object({ orderId: id, items: z.array(itemQuantity).min(1) }).strict(),
  OrderStatusUpdated: z.object({ orderId: id, previousStatus: orderStatus, status: orderStatus }).strict(),
  OrderCancelled: z.object({ orderId: id, reason: z.string().nullable() }).strict(),
  InventoryUpdated: z
    .object({
      productId: id,
      name: z.string().nullable(),
      previousOnHand: nonNegative,
      onHand: nonNegative,
      kind: z.enum(['SET', 'ADJUSTMENT']),
      reason: z.string().nullable(),
    })
    .strict(),
  InventoryAllocated: z.object({ productId: id, orderId: id, quantity }).strict(),
  InventoryReturned: z.object({ productId: id, orderId: id, quantity }).strict(),
  InventoryShipped: z.object({ productId: id, orderId: id, quantity, fromAllocation: nonNegative }).strict(),
  InventoryDiscontinued: z.object({ productId: id }).strict(),
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
export type OrderEventType = Extract<EventType, `Order${string}`>;
export type InventoryEventType = Extract<EventType, `Inventory${string}`>;

/**
 * An envelope whose payload is the one its `eventType` names, as it is once
 * validated (see validEvent): a `switch` on `eventType` narrows `payload`, so
 * consumers never cast it.
 */
export type ValidEvent<T extends EventType = EventType> = { [K in T]: EventEnvelope<K, EventPayload<K>> }[T];
export type OrderEnvelope = ValidEvent<OrderEventType>;
export type InventoryEnvelope = ValidEvent<InventoryEventType>;

/** Every event type is at schemaVersion 1; an upcaster lifts older payloads. */
export const CURRENT_SCHEMA_VERSION: Record<EventType, number> = Object.fromEntries(
  Object.keys(EVENT_SCHEMAS).map((type) => [type, 1]),
) as Record<EventType, number>;

export const AGGREGATE_OF_EVENT: Record<EventType, 'Order' | 'Inventory'> = Object.fromEntries(
  Object.keys(EVENT_SCHEMAS).map((type) => [type, type.startsWith('Order') ? 'Order' : 'Inventory']),
) as Record<EventType, 'Order' | 'Inventory'>;

export class EventSchemaError extends Error {
  override readonly name = 'EventSchemaError';
}

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, type);
}

/** The envelope, typed by its event type, once its payload is valid; throws EventSchemaError otherwise. */
export function validEvent(envelope: EventEnvelope): ValidEvent {
  validatePayload(envelope.eventType, envelope.payload);
  return envelope as ValidEvent;
}

/** Throws EventSchemaError unless `payload` is a valid current payload of `eventType`. */
export function validatePayload(eventType: string, payload: unknown): void {
  if (!isEventType(eventType)) throw new EventSchemaError(`unknown event type ${JSON.stringify(eventType)}`);
  const result = EVENT_SCHEMAS[eventType].safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EventSchemaError(`invalid ${eventType} payload at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
}

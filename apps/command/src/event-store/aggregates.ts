import type { AggregateType, EventEnvelope, EventPayload } from '@of/contracts';
import {
  inventoryDecider,
  type InventoryEvent,
  type InventoryState,
  orderDecider,
  type OrderEvent,
  type OrderState,
} from '@of/domain';

export type DomainEvent = OrderEvent | InventoryEvent;
export type AggregateState = OrderState | InventoryState;

interface AggregateKind {
  initialState(): AggregateState;
  evolve(state: AggregateState, event: DomainEvent): AggregateState;
}

/** How each aggregate type folds its events; the store is otherwise type-agnostic. */
export const AGGREGATES: Record<AggregateType, AggregateKind> = {
  Order: {
    initialState: () => orderDecider.initialState(),
    evolve: (state, event) => orderDecider.evolve(state as OrderState, event as OrderEvent),
  },
  Inventory: {
    initialState: () => inventoryDecider.initialState(),
    evolve: (state, event) => inventoryDecider.evolve(state as InventoryState, event as InventoryEvent),
  },
};

/** An envelope's payload as the domain event it carries (after upcasting). */
export function toDomainEvent(envelope: EventEnvelope): DomainEvent {
  return { type: envelope.eventType, data: envelope.payload } as DomainEvent;
}

// Compile-time proof that every domain event's data is exactly its published
// payload schema: a change on one side without the other fails the build.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type PayloadsMatch = {
  [T in DomainEvent['type']]: Same<Extract<DomainEvent, { type: T }>['data'], EventPayload<T>>;
};
export const DOMAIN_EVENTS_MATCH_CONTRACTS: PayloadsMatch = {
  OrderCreated: true,
  OrderItemsShipped: true,
  OrderItemsDelivered: true,
  OrderStatusUpdated: true,
  OrderCancelled: true,
  InventoryUpdated: true,
  InventoryAllocated: true,
  InventoryReturned: true,
  InventoryShipped: true,
  InventoryDiscontinued: true,
};

import type { AggregateType, EventEnvelope, EventPayload } from '@of/contracts';
import {
  type ExistingInventory,
  inventoryDecider,
  type InventoryEvent,
  type InventoryState,
  orderDecider,
  type OrderEvent,
  type OrderState,
} from '@of/domain';

export type DomainEvent = OrderEvent | InventoryEvent;
export type AggregateState = OrderState | InventoryState;

/**
 * A state as the state store keeps it: plain data. A product's per-order
 * allocations are kept apart, one entry per order (see `allocations`), so a
 * product holding thousands of orders costs one small write per change.
 */
export type StoredState = Record<string, unknown>;

interface AggregateKind {
  initialState(): AggregateState;
  evolve(state: AggregateState, event: DomainEvent): AggregateState;
  /**
   * The table `evolve` updates in place rather than copying (a product's
   * units held per order), or null: every other part of a state is replaced,
   * never changed, so an older state object stays valid.
   */
  allocations(state: AggregateState): Map<string, number> | null;
  /** The entry of `allocations` an event changes, if any. */
  allocationKey(event: DomainEvent): string | null;
  /** The state without its allocations, as plain data. */
  toStored(state: AggregateState): StoredState;
  fromStored(stored: StoredState, allocations: Iterable<[string, number]>): AggregateState;
  /**
   * Whether a stream of this kind stays in memory once the state store holds
   * it. Products do: there are few, and most commands touch them. Orders
   * leave: a command on an order reads it back from the store (microseconds),
   * so memory does not grow with the orders a shop keeps, open or finished.
   */
  resident: boolean;
}

/** How each aggregate type folds and stores its state; the store is otherwise type-agnostic. */
export const AGGREGATES: Record<AggregateType, AggregateKind> = {
  Order: {
    initialState: () => orderDecider.initialState(),
    evolve: (state, event) => orderDecider.evolve(state as OrderState, event as OrderEvent),
    allocations: () => null,
    allocationKey: () => null,
    toStored: (state) => state as unknown as StoredState,
    fromStored: (stored) => stored as unknown as OrderState,
    resident: false,
  },
  Inventory: {
    initialState: () => inventoryDecider.initialState(),
    evolve: (state, event) => inventoryDecider.evolve(state as InventoryState, event as InventoryEvent),
    allocations: (state) => ((state as InventoryState).exists ? (state as ExistingInventory).allocations : null),
    allocationKey: (event) => {
      const data = event.data as { orderId?: unknown };
      return event.type.startsWith('Inventory') && typeof data.orderId === 'string' ? data.orderId : null;
    },
    toStored: (state) => {
      if (!(state as InventoryState).exists) return { exists: false };
      const { allocations: _held, ...rest } = state as ExistingInventory;
      return rest;
    },
    fromStored: (stored, allocations) =>
      stored.exists
        ? { ...(stored as unknown as ExistingInventory), allocations: new Map(allocations) }
        : inventoryDecider.initialState(),
    resident: true,
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

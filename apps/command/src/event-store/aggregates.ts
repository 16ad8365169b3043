import type { AggregateType, EventEnvelope } from '@of/contracts';
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

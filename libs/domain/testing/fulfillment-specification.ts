import {
  type DomainErrorCode,
  type FulfillmentDecision,
  type InventoryEvent,
  type InventoryLookup,
  type InventoryState,
  inventoryDecider,
  type OrderEvent,
  type OrderState,
  fold,
  orderDecider,
} from '../src';
import { expectDomainError } from './decider-specification';

/** What the order and each product went through before the command. */
export interface FulfillmentHistory {
  order?: OrderEvent[];
  products?: Record<string, InventoryEvent[]>;
}

/** One of the fulfillment decisions, given the order's state and a way to look up a product's. */
export type FulfillmentCommand = (order: OrderState, inventoryOf: InventoryLookup) => FulfillmentDecision;

interface Then {
  /** Every event of the order, and every product's events, in order (products without events are absent). */
  then(expected: FulfillmentDecision): void;
  thenThrows(code: DomainErrorCode, details?: Record<string, unknown>): void;
  /** The decision, for what the two above cannot say (e.g. the order's state after it). */
  decision(): FulfillmentDecision;
}

/**
 * Given/when/then for the decisions that change an order and the stock of
 * its products together (fulfillment.decisions.ts), in the shape of the
 * decider specification: given the order's and the products' events, when
 * one decision runs, then the events of every aggregate, or a domain error.
 */
export function fulfillmentSpecification(): {
  given(history: FulfillmentHistory): { when(decide: FulfillmentCommand): Then };
} {
  return {
    given(history) {
      const order = fold(orderDecider, history.order ?? []);
      const products = new Map<string, InventoryState>(
        Object.entries(history.products ?? {}).map(([id, events]) => [id, fold(inventoryDecider, events)]),
      );
      const inventoryOf: InventoryLookup = (productId) => products.get(productId) ?? inventoryDecider.initialState();
      return {
        when(decide) {
          const run = () => decide(order, inventoryOf);
          return {
            then(expected) {
              expect(run()).toEqual(expected);
            },
            thenThrows(code, details) {
              expectDomainError(run, code, details);
            },
            decision: run,
          };
        },
      };
    },
  };
}

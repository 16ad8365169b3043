// A long history written straight into Kafka: orders registered and carried
// through their whole lifecycle by the real deciders, as the app would
// publish them, without keeping what is finished (the app's own store would
// hold every event in memory, and this history is meant to be larger than that).
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { envelopeJson } from '../../apps/command/src/event-store/stored-event';
import { type AggregateType, topicFor, type TopicNames } from '../../libs/contracts/src';
import {
  decideCancellation,
  decideRegistration,
  decideShipment,
  type FulfillmentDecision,
  type InventoryEvent,
  inventoryDecider,
  type InventoryState,
  type OrderEvent,
  orderDecider,
  type OrderState,
} from '../../libs/domain/src';
import { ADDRESS } from './support';

export interface History {
  events: number;
  orders: number;
  /** Orders DELIVERED or CANCELLED. */
  finished: number;
  products: number;
}

interface Aggregate<S> {
  state: S;
  version: number;
}

const BATCH_RECORDS = 5000;

/**
 * Writes `orders` orders of history as the plan says (by default, of every
 * ten, six delivered, three cancelled and one left open: 90 % finished), one
 * line each, against `products` products.
 */
/** The order each index stands for: its customer, when it was placed, and how far it went. */
export interface HistoryPlan {
  orders: number;
  products?: number;
  /** Default: one of 50,000 customers in turn. */
  customerOf?: (i: number) => string;
  /** Default: all at the moment the generation starts. */
  placedAt?: (i: number) => string;
  /** Default: of every ten, six delivered, three cancelled, one left open. */
  lifecycleOf?: (i: number) => Lifecycle;
  /** Called with every order's id and index (to keep a sample of them). */
  onOrder?: (orderId: string, i: number) => void;
}

export type Lifecycle = 'delivered' | 'cancelled' | 'shipped' | 'open';

const sixThreeOne = (i: number): Lifecycle => {
  const kind = i % 10;
  return kind < 6 ? 'delivered' : kind < 9 ? 'cancelled' : 'open';
};

export async function generateHistory(
  producer: Producer,
  topics: TopicNames,
  plan: HistoryPlan,
  onProgress?: (orders: number, events: number) => void,
): Promise<History> {
  const productCount = plan.products ?? 200;
  const products = new Map<string, Aggregate<InventoryState>>();
  let pending: { topic: string; key: string; value: string }[] = [];
  let events = 0;
  const startedAt = new Date().toISOString();
  const placedAt = plan.placedAt ?? (() => startedAt);
  const customerOf = plan.customerOf ?? ((i: number) => `history-customer-${i % 50_000}`);
  const lifecycleOf = plan.lifecycleOf ?? sixThreeOne;
  let occurredAt = startedAt;

  const flush = async (force: boolean) => {
    if (pending.length < BATCH_RECORDS && !(force && pending.length > 0)) return;
    const batch = pending;
    pending = [];
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const { topic, key, value } of batch) {
      let messages = byTopic.get(topic);
      if (!messages) byTopic.set(topic, (messages = []));
      messages.push({ key, value });
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  };
  const publish = (type: AggregateType, id: string, version: number, event: OrderEvent | InventoryEvent) => {
    const envelope = {
      eventId: randomUUID(),
      eventType: event.type,
      schemaVersion: 1,
      aggregateType: type,
      aggregateId: id,
      aggregateVersion: version,
      occurredAt,
      correlationId: 'bench-history',
      causationId: null,
      payload: event.data,
    };
    pending.push({ topic: topicFor(type, topics), key: id, value: envelopeJson(envelope, JSON.stringify(event.data)) });
    events += 1;
  };
  const product = (id: string): Aggregate<InventoryState> => {
    let found = products.get(id);
    if (!found) products.set(id, (found = { state: inventoryDecider.initialState(), version: 0 }));
    return found;
  };
  const applyInventory = (id: string, changes: InventoryEvent[]) => {
    const aggregate = product(id);
    for (const event of changes) {
      aggregate.state = inventoryDecider.evolve(aggregate.state, event);
      aggregate.version += 1;
      publish('Inventory', id, aggregate.version, event);
    }
  };
  const apply = (order: Aggregate<OrderState>, orderId: string, decision: FulfillmentDecision) => {
    for (const event of decision.order) {
      order.state = orderDecider.evolve(order.state, event);
      order.version += 1;
      publish('Order', orderId, order.version, event);
    }
    for (const change of decision.inventory) applyInventory(change.productId, change.events);
  };
  const inventoryOf = (id: string) => product(id).state;

  const productId = (i: number) => `history-sku-${String(i).padStart(5, '0')}`;
  for (let i = 0; i < productCount; i += 1) {
    const id = productId(i);
    applyInventory(
      id,
      inventoryDecider.decide(
        { type: 'SetStock', data: { productId: id, quantity: 1_000_000_000, name: `History product ${i}` } },
        inventoryOf(id),
      ),
    );
  }
  let finished = 0;
  for (let i = 0; i < plan.orders; i += 1) {
    occurredAt = placedAt(i);
    // Ids of the kind the command app makes (newOrderId): UUIDv7 of the time the order was
    // placed, `seq` keeping orders placed in the same millisecond in the order they came.
    const orderId = uuidv7({ msecs: Date.parse(occurredAt), seq: i });
    plan.onOrder?.(orderId, i);
    const order: Aggregate<OrderState> = { state: orderDecider.initialState(), version: 0 };
    const registration = decideRegistration(
      {
        type: 'RegisterOrder',
        data: {
          orderId,
          customerId: customerOf(i),
          currency: 'EUR',
          lines: [{ productId: productId(i % productCount), quantity: 1 + (i % 3), unitPriceMinor: 1250 }],
          shippingAddress: ADDRESS,
          billingAddress: ADDRESS,
          expectedTotalMinor: null,
          issuedAt: null,
        },
      },
      order.state,
      inventoryOf,
    );
    apply(order, orderId, registration);
    const lifecycle = lifecycleOf(i);
    if (lifecycle === 'delivered' || lifecycle === 'shipped') {
      apply(
        order,
        orderId,
        decideShipment({ type: 'ShipOrderItems', data: { orderId, items: null } }, order.state, inventoryOf),
      );
    }
    if (lifecycle === 'delivered') {
      apply(order, orderId, {
        order: orderDecider.decide({ type: 'DeliverOrderItems', data: { orderId, items: null } }, order.state),
        inventory: [],
      });
      finished += 1;
    } else if (lifecycle === 'cancelled') {
      apply(
        order,
        orderId,
        decideCancellation({ type: 'CancelOrder', data: { orderId, reason: 'bench' } }, order.state, inventoryOf),
      );
      finished += 1;
    }
    await flush(false);
    if ((i + 1) % 100_000 === 0) onProgress?.(i + 1, events);
  }
  await flush(true);
  return { events, orders: plan.orders, finished, products: productCount };
}

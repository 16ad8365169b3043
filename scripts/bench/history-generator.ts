// A long history written straight into Kafka: orders registered and carried
// through their whole lifecycle by the real deciders, as the app would
// publish them, without keeping what is finished (the app's own store would
// hold every event in memory, and this history is meant to be larger than that).
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
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
 * Writes about `orders` orders of history: of every ten, six are delivered,
 * three cancelled and one left open (90 % finished), one line each, against
 * `products` products.
 */
export async function generateHistory(
  producer: Producer,
  topics: TopicNames,
  target: { orders: number; products?: number },
  onProgress?: (orders: number, events: number) => void,
): Promise<History> {
  const productCount = target.products ?? 200;
  const products = new Map<string, Aggregate<InventoryState>>();
  let pending: { topic: string; key: string; value: string }[] = [];
  let events = 0;
  const occurredAt = new Date().toISOString();

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
  for (let i = 0; i < target.orders; i += 1) {
    const orderId = randomUUID();
    const order: Aggregate<OrderState> = { state: orderDecider.initialState(), version: 0 };
    const registration = decideRegistration(
      {
        type: 'RegisterOrder',
        data: {
          orderId,
          customerId: `history-customer-${i % 50_000}`,
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
    const kind = i % 10;
    if (kind < 6) {
      apply(
        order,
        orderId,
        decideShipment({ type: 'ShipOrderItems', data: { orderId, items: null } }, order.state, inventoryOf),
      );
      apply(order, orderId, {
        order: orderDecider.decide({ type: 'DeliverOrderItems', data: { orderId, items: null } }, order.state),
        inventory: [],
      });
      finished += 1;
    } else if (kind < 9) {
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
  return { events, orders: target.orders, finished, products: productCount };
}

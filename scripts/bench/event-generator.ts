// Writes realistic event histories straight into Kafka topics, fast: the real
// command handlers and event store decide and stage every command in memory
// (so envelopes, versions and payloads are exactly what the app writes), and
// the staged records go to Kafka in large idempotent batches.
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { TopicNames } from '../../libs/contracts/src';
import type { EventPublisher, EventRecord, OpenTransaction } from '../../apps/command/src/event-store/event-publisher';
import { EventStore } from '../../apps/command/src/event-store/event-store';
import { InventoryCommandHandler } from '../../apps/command/src/inventory/inventory-command.handler';
import type { RegisterOrderDto } from '../../apps/command/src/orders/dto/register-order.dto';
import { OrderCommandHandler } from '../../apps/command/src/orders/order-command.handler';
import type { Decision } from '../../apps/command/src/command-handling/command-runner';
import type { RequestContext } from '../../apps/command/src/command-handling/request-context';
import { ADDRESS as address } from '../../test/support/fixtures';

class CollectingPublisher implements EventPublisher {
  records: EventRecord[] = [];
  begin(records: EventRecord[]): Promise<OpenTransaction> {
    return Promise.resolve({
      positions: [],
      commit: () => {
        for (const record of records) this.records.push(record);
        return Promise.resolve();
      },
      abort: () => Promise.resolve(),
    });
  }
}

export interface Generated {
  events: number;
  orders: number;
  products: number;
  /** Order ids with the version each reached. */
  orderVersions: Map<string, number>;
}

/**
 * Registers orders (two lines each) against `products` products until about
 * `events` events exist; every fifth order is shipped, every tenth cancelled.
 */
export async function generateEvents(
  producer: Producer,
  topics: TopicNames,
  target: { events: number; products?: number },
  onProgress?: (events: number) => void,
): Promise<Generated> {
  const publisher = new CollectingPublisher();
  const store = new EventStore(publisher, topics);
  const orders = new OrderCommandHandler(store);
  const inventory = new InventoryCommandHandler(store);
  const context: RequestContext = { correlationId: 'bench', idempotency: null, ifMatch: null };
  const products = target.products ?? 200;
  let written = 0;
  const flush = async (force: boolean) => {
    if (publisher.records.length < 5000 && !(force && publisher.records.length > 0)) return;
    const batch = publisher.records;
    publisher.records = [];
    const byTopic = new Map<string, EventRecord[]>();
    for (const record of batch) byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, records]) => ({
        topic,
        messages: records.map((record) => ({ key: record.key, value: record.value, headers: record.headers })),
      })),
    });
    written += batch.length;
    onProgress?.(written);
  };
  const run = async (decision: Decision) => {
    const { durable } = store.append(decision.changes, {
      correlationId: `bench-${randomUUID()}`,
      causationId: randomUUID(),
      now: new Date(),
    });
    await durable;
    await flush(false);
  };

  const productId = (i: number) => `bench-sku-${String(i).padStart(5, '0')}`;
  for (let i = 0; i < products; i += 1) {
    await run(
      inventory.handle(
        { type: 'SetStock', data: { productId: productId(i), quantity: 1_000_000_000, name: `Bench product ${i}` } },
        context,
      ),
    );
  }
  const orderVersions = new Map<string, number>();
  let count = 0;
  while (store.eventCount < target.events) {
    const dto = {
      customerId: `bench-customer-${count % 5000}`,
      items: [
        { productId: productId(count % products), quantity: 1 + (count % 3), price: '12.50' },
        { productId: productId((count * 7 + 1) % products), quantity: 1, price: 4 },
      ],
      shippingAddress: address,
    } as unknown as RegisterOrderDto;
    if (dto.items[0].productId === dto.items[1].productId) dto.items.pop();
    const registration = orders.register(dto);
    await run(registration);
    const orderId = String(registration.respond().body.data.orderId);
    if (count % 5 === 0) await run(orders.ship(orderId, null, context));
    else if (count % 10 === 1) await run(orders.cancel(orderId, 'bench', context));
    orderVersions.set(orderId, store.read('Order', orderId).version);
    count += 1;
  }
  await flush(true);
  return { events: written, orders: count, products, orderVersions };
}

/** The records of real registrations (as the app writes them), about `count` of them, grouped by topic. */
export async function generateSample(
  topics: TopicNames,
  count: number,
): Promise<{ topic: string; messages: { key: string; value: string; headers: Record<string, string> }[] }[]> {
  const publisher = new CollectingPublisher();
  const store = new EventStore(publisher, topics);
  const orders = new OrderCommandHandler(store);
  const inventory = new InventoryCommandHandler(store);
  const context: RequestContext = { correlationId: 'bench', idempotency: null, ifMatch: null };
  const stage = (decision: Decision) =>
    store.append(decision.changes, { correlationId: randomUUID(), causationId: randomUUID(), now: new Date() }).durable;
  for (const productId of ['bench-a', 'bench-b']) {
    await stage(
      inventory.handle({ type: 'SetStock', data: { productId, quantity: 1_000_000_000, name: null } }, context),
    );
  }
  // The sample holds registrations only, as the benchmark sends.
  publisher.records = [];
  const records: EventRecord[] = [];
  const flushAll = () => {
    records.push(...publisher.records);
    publisher.records = [];
  };
  while (records.length < Math.max(1, count)) {
    await stage(
      orders.register({
        customerId: 'bench',
        items: [
          { productId: 'bench-a', quantity: 1, price: '19.99' },
          { productId: 'bench-b', quantity: 2, price: '5.25' },
        ],
        shippingAddress: address,
      }),
    );
    flushAll();
  }
  const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
  for (const record of records.slice(0, Math.max(1, count))) {
    byTopic.set(record.topic, [
      ...(byTopic.get(record.topic) ?? []),
      { key: record.key, value: record.value, headers: record.headers },
    ]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

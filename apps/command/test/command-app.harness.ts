import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { deserializeEnvelope, type EventEnvelope } from '@of/contracts';
import { ensureTopics, KafkaConnection, kafkaSettingsFromEnv } from '@of/platform';
import { uniqueName } from '../../../test/support/kafka-test-helpers';
import type { EventPublisher, EventRecord, OpenTransaction } from '../src/event-store/event-publisher';
import { replayTopics } from '../src/event-store/event-replayer';
import type { CommandContext, StreamChange } from '../src/event-store/event-store';
import { KafkaEventPublisher } from '../src/event-store/kafka-event-publisher';
import { createCommandApp } from '../src/command-app.factory';
import { RecoveryState } from '../src/command-handling/recovery-state';
import { ADDRESS } from '../../../test/support/fixtures';

export const ADMIN_TOKEN = 'integration-admin-token';

export interface Harness {
  app: NestFastifyApplication;
  topics: { orders: string; inventory: string };
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Record<string, unknown> & { data?: Record<string, unknown> };
}

/** Topic names of their own, so test files never see each other's events. */
export function isolatedTopics(): { orders: string; inventory: string; transactionalId: string } {
  const prefix = uniqueName('it-cmd');
  return { orders: `${prefix}.orders`, inventory: `${prefix}.inventory`, transactionalId: `${prefix}-tx` };
}

/** A Kafka connection to the harness's own topics, 3 partitions each. */
export function isolatedConnection(clientId: string, topics: { orders: string; inventory: string }): KafkaConnection {
  return new KafkaConnection(
    kafkaSettingsFromEnv(clientId, {
      ...process.env,
      ORDER_EVENTS_TOPIC: topics.orders,
      INVENTORY_EVENTS_TOPIC: topics.inventory,
      KAFKA_TOPIC_PARTITIONS: '3',
    }),
  );
}

/** Creates the connection's topics (its admin client stays connected). */
export async function createTopics(connection: KafkaConnection): Promise<void> {
  await connection.admin.connect();
  await ensureTopics(connection.admin, connection.settings);
}

/**
 * A suite's own topics, a connection to them and a real publisher: the topics
 * are created before the suite's tests, the publisher and connection closed after.
 */
export function publisherFixture(clientId: string): {
  topics: ReturnType<typeof isolatedTopics>;
  connection: KafkaConnection;
  publisher: KafkaEventPublisher;
} {
  const topics = isolatedTopics();
  const connection = isolatedConnection(clientId, topics);
  const publisher = new KafkaEventPublisher(connection, { transactionalId: topics.transactionalId, timeoutMs: 5000 });
  beforeAll(() => createTopics(connection));
  afterAll(async () => {
    await publisher.onApplicationShutdown();
    await connection.onApplicationShutdown();
  });
  return { topics, connection, publisher };
}

/**
 * A publisher that sends through `real`, then asks `commitOf` how to end each
 * transaction: null commits it as usual; a function gets the open
 * transaction and ends it in place of the commit (to fail, hold or lose it).
 */
export function interceptCommits(
  real: EventPublisher,
  commitOf: (records: EventRecord[]) => ((open: OpenTransaction) => Promise<void>) | null,
): EventPublisher {
  return {
    begin: async (records) => {
      const open = await real.begin(records);
      const commit = commitOf(records);
      return commit ? { positions: open.positions, commit: () => commit(open), abort: () => open.abort() } : open;
    },
  };
}

/** The context of one command appended straight to an event store. */
export const commandContext = (): CommandContext => ({
  correlationId: 'it',
  causationId: `cmd-${Math.random()}`,
  now: new Date(),
});

/** The state store directory of the app on `topics`: the same across its restarts. */
export function stateDirOf(topics: { transactionalId: string }): string {
  return join(tmpdir(), 'of-command-state', topics.transactionalId);
}

/** Boots the real command app against the real broker, waits until it has replayed its topics. */
export async function startCommandApp(
  topics: ReturnType<typeof isolatedTopics> = isolatedTopics(),
  env: Record<string, string> = {},
): Promise<Harness> {
  Object.assign(process.env, {
    ORDER_EVENTS_TOPIC: topics.orders,
    INVENTORY_EVENTS_TOPIC: topics.inventory,
    KAFKA_TRANSACTIONAL_ID: topics.transactionalId,
    KAFKA_TOPIC_PARTITIONS: '3',
    ADMIN_TOKEN,
    STATE_DIR: stateDirOf(topics),
    ...env,
  });
  const app = await createCommandApp({ logger: false, serveDocs: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const recovery = app.get(RecoveryState);
  const deadline = Date.now() + 30000;
  while (!recovery.ready) {
    if (Date.now() > deadline) throw new Error(`command app did not recover: ${recovery.error ?? 'no error'}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    app,
    topics,
    async request(method, url, body, headers = {}) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        payload: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      });
      return {
        status: response.statusCode,
        headers: response.headers,
        body: response.body ? (JSON.parse(response.body) as Reply['body']) : {},
      };
    },
    close: () => app.close(),
  };
}

/** An event read back from the topics, with where it was found. */
export interface ReadBackEvent {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: string;
  envelope: EventEnvelope;
}

/**
 * Every committed event on the harness's topics, read to their current end.
 * Right after Kafka restarts, joining a group can fail while its coordinator
 * loads (a retriable error): then it reads again, as the app's recovery does.
 */
export async function readCommitted(topics: { orders: string; inventory: string }): Promise<ReadBackEvent[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await readCommittedOnce(topics);
    } catch (error) {
      if (attempt >= 20 || !(error as { retriable?: boolean }).retriable) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function readCommittedOnce(topics: { orders: string; inventory: string }): Promise<ReadBackEvent[]> {
  const connection = new KafkaConnection(
    kafkaSettingsFromEnv(uniqueName('it-reader'), {
      ...process.env,
      ORDER_EVENTS_TOPIC: topics.orders,
      INVENTORY_EVENTS_TOPIC: topics.inventory,
    }),
  );
  const messages: ReadBackEvent[] = [];
  try {
    await replayTopics(connection, (message) =>
      messages.push({
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        key: message.key ?? '',
        value: message.value,
        envelope: deserializeEnvelope(message.value),
      }),
    );
  } finally {
    await connection.onApplicationShutdown();
  }
  return messages;
}

/** Sets a new product's stock: the change a first SetStock stages. */
export const stockChange = (productId: string, onHand: number): StreamChange => ({
  type: 'Inventory',
  id: productId,
  expectedVersion: 0,
  events: [
    {
      type: 'InventoryUpdated',
      data: { productId, name: null, previousOnHand: 0, onHand, kind: 'SET', reason: null },
    },
  ],
});

/** A registration of one unit of each product: the order and its allocations, as the handler stages them. */
export const registrationChanges = (orderId: string, products: string[], inventoryVersion = 1): StreamChange[] => [
  {
    type: 'Order',
    id: orderId,
    expectedVersion: 0,
    events: [
      {
        type: 'OrderCreated',
        data: {
          orderId,
          customerId: 'c1',
          currency: 'EUR',
          lines: products.map((productId) => ({ productId, quantity: 1, unitPriceMinor: 100 })),
          totalMinor: 100 * products.length,
          shippingAddress: ADDRESS,
          billingAddress: ADDRESS,
          issuedAt: null,
        },
      },
    ],
  },
  ...products.map((productId): StreamChange => ({
    type: 'Inventory',
    id: productId,
    expectedVersion: inventoryVersion,
    events: [{ type: 'InventoryAllocated', data: { productId, orderId, quantity: 1 } }],
  })),
];

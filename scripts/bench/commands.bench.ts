// Order registrations (two lines each) through the gateway, against two
// ceilings measured in the same run: a trivial endpoint through the same
// gateway, and raw kafkajs transactional producers sending the same event
// bytes with the same batching the app used: two pipelined as the app's
// event store does (the ceiling the goal is judged against), and one
// back to back, the issue's own wording, reported beside it.
import { randomUUID } from 'node:crypto';
import { CompressionTypes, type Producer, type Transaction } from 'kafkajs';
import { TRANSACTIONAL_RETRY } from '../../apps/command/src/event-store/kafka-event-publisher';
import { createKafka, kafkaSettingsFromEnv } from '../../libs/platform/src';
import { type CpuUsage, measureCpu } from './cpu-usage';
import { generateSample } from './event-generator';
import { ADDRESS, call, COMMAND_URL, GATEWAY, load, type LoadResult, scrape, waitForLiveProjections } from './support';

export interface KafkaCeiling {
  transactionsPerSecond: number;
  commandsPerSecond: number;
  eventsPerTransaction: number;
}

export interface CommandsFigures {
  registrations: LoadResult;
  trivialCeiling: LoadResult;
  kafkaCeiling: KafkaCeiling;
  /** One raw producer, each transaction committed before the next begins. */
  kafkaOneProducer: KafkaCeiling;
  commandsPerTransaction: number;
  /** Snapshot rounds that ended in the measured window: their cost is in its CPU figures. */
  snapshots: { rounds: number; records: number; seconds: number };
  /** Where the machine's CPU went while the registrations were measured (null off Linux). */
  cpu: CpuUsage | null;
  /** From the end of the load until the live projections had read every event. */
  catchUp: {
    seconds: number;
    /** Events the projections had still to read when the load ended. */
    lagAtEnd: number;
    /** The load and the catch-up together. */
    cpu: CpuUsage | null;
  };
  orderIds: string[];
}

/**
 * The measured window should be one snapshot interval (SNAPSHOT_INTERVAL, 60 s
 * by default): a round writes in seconds what the interval's commands
 * changed, so a shorter window holds a whole round, part of one or none, and
 * its CPU per registration moved twofold from run to run with that.
 *
 * `warmupSeconds` of the same load come first and are not counted: on a
 * fresh stack the JVM (Kafka) and V8 are still compiling their hot paths
 * then, which is not the steady state the goal is about. Measured in 10 s
 * slices after `make reset`: 1,587/s at 1.21 ms of CPU per registration
 * (Kafka 0.37), then 2,158/s at 0.88 (Kafka 0.19), then 2,850-3,040/s at
 * 0.62-0.67 (Kafka 0.05-0.09) from 20 s on.
 */
export async function benchCommands(options: {
  seconds: number;
  warmupSeconds: number;
  connections: number;
}): Promise<CommandsFigures> {
  const tag = randomUUID().slice(0, 6);
  const products = [`bench-a-${tag}`, `bench-b-${tag}`];
  for (const product of products) {
    const stocked = await call('PUT', `${GATEWAY}/api/v1/inventory/${product}`, { quantity: 1_000_000_000 });
    if (stocked.status !== 200) throw new Error(`could not stock ${product}: ${JSON.stringify(stocked.data)}`);
  }
  const body = JSON.stringify({
    customerId: `bench-${tag}`,
    items: [
      { productId: products[0], quantity: 1, price: '19.99' },
      { productId: products[1], quantity: 2, price: '5.25' },
    ],
    shippingAddress: ADDRESS,
  });

  const registration = {
    url: `${GATEWAY}/api/v1/orders`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body,
    connections: options.connections,
  };
  if (options.warmupSeconds > 0) await load({ ...registration, duration: options.warmupSeconds });
  // The window below starts with nothing left to project, so the catch-up after it is its own.
  await waitForLiveProjections();

  const before = await scrape(COMMAND_URL);
  const stopCpu = measureCpu();
  const orderIds: string[] = [];
  const registrations = await load({
    ...registration,
    duration: options.seconds,
    requests: [
      {
        onResponse: (status: number, responseBody: string) => {
          if (status === 201 && orderIds.length < 20000) {
            orderIds.push((JSON.parse(responseBody) as { data: { orderId: string } }).data.orderId);
          }
        },
      },
    ],
  });
  const cpu = stopCpu?.() ?? null;
  const after = await scrape(COMMAND_URL);
  // The read side projects these registrations while they come and after:
  // the load's CPU alone leaves out what is still to project when it ends.
  const caughtUpFrom = performance.now();
  const lagAtEnd = await waitForLiveProjections();
  const catchUp = {
    seconds: (performance.now() - caughtUpFrom) / 1000,
    lagAtEnd,
    cpu: stopCpu?.() ?? null,
  };
  const transactions =
    after('kafka_transaction_duration_seconds_count', { outcome: 'committed' }) -
    before('kafka_transaction_duration_seconds_count', { outcome: 'committed' });
  const commands = after('kafka_transaction_commands_sum') - before('kafka_transaction_commands_sum');
  const events = after('kafka_transaction_events_sum') - before('kafka_transaction_events_sum');
  const snapshots = {
    rounds:
      after('snapshot_round_duration_seconds_count', { outcome: 'written' }) -
      before('snapshot_round_duration_seconds_count', { outcome: 'written' }),
    records: after('snapshot_records_total') - before('snapshot_records_total'),
    seconds:
      after('snapshot_round_duration_seconds_sum', { outcome: 'written' }) -
      before('snapshot_round_duration_seconds_sum', { outcome: 'written' }),
  };
  const commandsPerTransaction = transactions > 0 ? commands / transactions : 1;
  const eventsPerTransaction = transactions > 0 ? events / transactions : 3;

  const trivialCeiling = await load({
    url: `${GATEWAY}/health/command/live`,
    connections: options.connections,
    duration: options.seconds,
  });
  const raw = await rawProducerCeilings(Math.round(eventsPerTransaction), options.seconds);
  const inCommands = (transactionsPerSecond: number): KafkaCeiling => ({
    transactionsPerSecond,
    eventsPerTransaction: raw.eventsPerTransaction,
    commandsPerSecond: Math.round(transactionsPerSecond * commandsPerTransaction),
  });
  return {
    registrations,
    trivialCeiling,
    kafkaCeiling: inCommands(raw.pipelined),
    kafkaOneProducer: inCommands(raw.oneProducer),
    commandsPerTransaction,
    snapshots,
    cpu,
    catchUp,
    orderIds,
  };
}

/**
 * Back-to-back transactions of `eventsPerTransaction` real event records each,
 * into topics of the bench's own, for `seconds` each way:
 * - pipelined as the app's event store does: two producers in turn, the next
 *   transaction sent while the previous commits;
 * - one producer, each transaction committed before the next is sent.
 */
async function rawProducerCeilings(
  eventsPerTransaction: number,
  seconds: number,
): Promise<{ pipelined: number; oneProducer: number; eventsPerTransaction: number }> {
  const settings = kafkaSettingsFromEnv('order-fulfillment-bench');
  const kafka = createKafka(settings);
  const suffix = randomUUID().slice(0, 8);
  const topics = { orderEvents: `bench-raw-orders-${suffix}`, inventoryEvents: `bench-raw-inventory-${suffix}` };
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [topics.orderEvents, topics.inventoryEvents].map((topic) => ({
      topic,
      numPartitions: settings.partitions,
    })),
  });
  const sample = await generateSample(topics, eventsPerTransaction);
  const producers = [1, 2].map((index) =>
    kafka.producer({
      transactionalId: `bench-raw-${suffix}-${index}`,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: TRANSACTIONAL_RETRY, // as the app's producers
    }),
  );
  const send = async (producer: Producer): Promise<Transaction> => {
    const transaction = await producer.transaction();
    await transaction.sendBatch({ topicMessages: sample, acks: -1, compression: CompressionTypes.None });
    return transaction;
  };
  /** Transactions committed per second while `run` keeps sending until the deadline. */
  const rate = async (run: (until: number, committed: () => void) => Promise<void>): Promise<number> => {
    let transactions = 0;
    const started = performance.now();
    await run(started + seconds * 1000, () => void (transactions += 1));
    return Math.round(transactions / ((performance.now() - started) / 1000));
  };
  await Promise.all(producers.map((producer) => producer.connect()));
  try {
    const pipelined = await rate(async (until, committed) => {
      let committing: Promise<void> = Promise.resolve();
      for (let turn = 0; performance.now() < until; turn += 1) {
        const transaction = await send(producers[turn % 2]);
        await committing;
        committing = transaction.commit().then(committed);
      }
      await committing;
    });
    const oneProducer = await rate(async (until, committed) => {
      while (performance.now() < until) {
        await (await send(producers[0])).commit();
        committed();
      }
    });
    return { pipelined, oneProducer, eventsPerTransaction };
  } finally {
    await Promise.all(producers.map((producer) => producer.disconnect()));
    await admin.deleteTopics({ topics: [topics.orderEvents, topics.inventoryEvents] }).catch(() => undefined);
    await admin.disconnect();
  }
}

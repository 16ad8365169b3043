// Queries on a read side that holds a long history, and on a small one: each
// lookup and list the query API serves, at a fixed rate, first pages and pages
// from deep in history alike. What a request costs should follow the page it
// asks for, not the history behind it, so the two stacks should answer alike.
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { encodeCursor } from '../../apps/query/src/http/pagination';
import { combinedUsage, type Component, type CpuUsage, measureCpu, perUnit, waitUntilQuiet } from './cpu-usage';
import { generateHistory, type Lifecycle } from './history-generator';
import { paced, type PacedResult, pooled } from './paced-load';
import { type LoadResult, scratchTopics, type SpawnedApp, startQueryApp, waitUntilProjected } from './support';

/** A read side to query: how many orders it holds, and how many of them one customer placed. */
export interface QueryStack {
  orders: number;
  bigCustomerOrders: number;
}

export const QUERY_KINDS = [
  'order by id',
  'customer history, the big customer',
  'customer history, small customers',
  'order list, no filter',
  'order list, a rare status',
  'order list, the big customer',
  'fulfillment queue',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/** A kind's load, with the whole machine's CPU per request and how busy it was (where /proc exists). */
export type QueryResult = LoadResult & { cpuMsPerRequest?: number; busy?: number; maxSendDelayMs?: number };

export interface StackFigures extends QueryStack {
  events: number;
  projectSeconds: number;
  results: Partial<Record<QueryKind, QueryResult>>;
}

export interface QueriesFigures {
  rate: number;
  seconds: number;
  stacks: StackFigures[];
}

/** Orders are placed this far apart, on both stacks: a shop of about 2,900 orders a day. */
const ORDER_SPACING_MS = 30_000;
const BIG_CUSTOMER = 'bench-big-customer';
/**
 * Every other customer holds about this many orders, on both stacks: their
 * pages are alike, so the two stacks compare history alone.
 */
const SMALL_CUSTOMER_ORDERS = 50;
/** Of every 1,000 orders, one is left shipped and undelivered: the rare status. */
const RARE_STATUS = 'SHIPPED';
/** Below this share of both cores busy, five seconds in a row, the stack is at rest. */
const QUIET_BUSY = 0.15;
/** Order ids and customers kept to ask for. */
const SAMPLE = 2_000;

/** Each kind's load is split into this many rounds per stack, the stacks taking turns. */
const ROUNDS = 3;

/** One round of a kind on one stack: its load, and the machine's CPU meanwhile (where /proc exists). */
interface Round {
  load: PacedResult;
  usage: CpuUsage | undefined;
}

/** A read side filled and served, ready to be asked. */
interface PreparedStack {
  figures: Omit<StackFigures, 'results'>;
  app: SpawnedApp;
  paths: Record<QueryKind, (k: number) => string>;
  teardown: () => Promise<void>;
}

/**
 * Fills every stack's read side first, then measures each kind on the stacks
 * in turns: the machine's speed drifts over an hour, and stacks measured one
 * after the other would compare the hours as much as the histories.
 */
export async function benchQueries(options: {
  stacks: QueryStack[];
  rate: number;
  seconds: number;
  log: (line: string) => void;
}): Promise<QueriesFigures> {
  const prepared: PreparedStack[] = [];
  try {
    for (const stack of options.stacks) {
      options.log(`  a read side of ${stack.orders} orders, ${stack.bigCustomerOrders} of them one customer's ...`);
      prepared.push(await prepareStack(stack, options.log));
    }
    // The queries are measured in the steady state, not in the aftermath of
    // filling the read sides.
    const settled = await waitUntilQuiet({ busyBelow: QUIET_BUSY, seconds: 5, maxSeconds: 300 });
    options.log(
      `  the machine ${settled.quiet ? 'went quiet' : 'was still busy'} after ${Math.round(settled.waitedSeconds)} s`,
    );
    const results = prepared.map((): StackFigures['results'] => ({}));
    for (const kind of QUERY_KINDS) {
      const urls = prepared.map(
        ({ app, paths }) =>
          (k: number) =>
            `${app.url}${paths[kind](k)}`,
      );
      // A short warm-up at the same rate, not counted: the first requests of a kind compile its code.
      for (const url of urls) await paced({ rate: options.rate, seconds: Math.min(2, options.seconds), url });
      const rounds = prepared.map((): Round[] => []);
      for (let round = 0; round < ROUNDS; round += 1) {
        const turns = prepared.map((_, i) => i);
        for (const i of round % 2 === 0 ? turns : turns.reverse()) {
          const cpu = measureCpu();
          const load = await paced({ rate: options.rate, seconds: options.seconds / ROUNDS, url: urls[i] });
          rounds[i].push({ load, usage: cpu?.() });
        }
      }
      prepared.forEach((stack, i) => {
        const result = (results[i][kind] = kindResult(rounds[i]));
        options.log(`    ${stack.figures.orders} orders, ${kind}: ${describe(result)}`);
      });
    }
    return {
      rate: options.rate,
      seconds: options.seconds,
      stacks: prepared.map((stack, i) => ({ ...stack.figures, results: results[i] })),
    };
  } finally {
    for (const stack of prepared) await stack.teardown();
  }
}

/** A kind's rounds on one stack as one result, with the machine's CPU per request over them. */
function kindResult(rounds: Round[]): QueryResult & {
  parts?: [Component, number][];
} {
  const { latencies: _latencies, seconds: _seconds, ...load } = pooled(rounds.map((round) => round.load));
  const usages = rounds.flatMap((round) => (round.usage ? [round.usage] : []));
  if (usages.length < rounds.length) return load;
  const usage = combinedUsage(usages);
  const { parts, totalMs } = perUnit(usage, load.requests);
  return { ...load, cpuMsPerRequest: totalMs, busy: usage.busy, parts };
}

function describe(result: ReturnType<typeof kindResult>): string {
  const { parts, cpuMsPerRequest, busy } = result;
  return (
    `p50 / p99 ${result.p50} / ${result.p99} ms, ${result.requestsPerSecond}/s` +
    (parts && cpuMsPerRequest !== undefined
      ? `, ${cpuMsPerRequest.toFixed(2)} ms of CPU per request (` +
        parts.map(([part, ms]) => `${part} ${ms.toFixed(2)}`).join(', ') +
        `), machine ${Math.round((busy ?? 0) * 100)} % busy`
      : '') +
    `, the sender at most ${result.maxSendDelayMs} ms late`
  );
}

async function prepareStack(stack: QueryStack, log: (line: string) => void): Promise<PreparedStack> {
  const suffix = randomUUID().slice(0, 8);
  const topics = { orderEvents: `bench-q-orders-${suffix}`, inventoryEvents: `bench-q-inventory-${suffix}` };
  const database = `bench_queries_${suffix}`;
  const { producer, drop } = await scratchTopics(Object.values(topics));
  let app: SpawnedApp | null = null;
  const teardown = async () => {
    await app?.stop();
    await drop();
    const mongo = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
    await mongo
      .db(database)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
  };
  try {
    // History ends now: the newest order was placed a moment ago.
    const firstPlaced = Date.now() - stack.orders * ORDER_SPACING_MS;
    const placedAt = (i: number) => new Date(firstPlaced + i * ORDER_SPACING_MS).toISOString();
    const bigEvery = Math.max(1, Math.floor(stack.orders / Math.max(1, stack.bigCustomerOrders)));
    const sampleEvery = Math.max(1, Math.floor(stack.orders / SAMPLE));
    const orderIds: string[] = [];
    const smallCustomers = new Set<string>();
    const smallCustomerCount = Math.max(
      1,
      Math.floor((stack.orders - stack.bigCustomerOrders) / SMALL_CUSTOMER_ORDERS),
    );
    const customerOf = (i: number) => {
      if (i % bigEvery === 0) return BIG_CUSTOMER;
      const customerId = `bench-customer-${i % smallCustomerCount}`;
      if (smallCustomers.size < SAMPLE) smallCustomers.add(customerId);
      return customerId;
    };
    const history = await generateHistory(producer, topics, {
      orders: stack.orders,
      placedAt,
      customerOf,
      lifecycleOf: (i): Lifecycle => {
        if (i % 1000 === 7) return 'shipped';
        const kind = i % 10;
        return kind < 6 ? 'delivered' : kind < 9 ? 'cancelled' : 'open';
      },
      onOrder: (orderId, i) => {
        if (i % sampleEvery === 0) orderIds.push(orderId);
      },
    });
    await producer.disconnect();

    log(`    ${history.events} events written; projecting them with a fresh query app ...`);
    app = await startQueryApp({ topics, database, group: `bench-queries-${suffix}` });
    const projectSeconds = Math.round(await waitUntilProjected(app, log));

    // Every list is asked for its first page and, as often, for a page that
    // starts at a random point of history (a cursor as the API would give one).
    const random = (n: number) => Math.floor(Math.random() * n);
    const byTime = (path: string) => (k: number) =>
      k % 2 === 0 ? path : withCursor(path, encodeCursor([placedAt(random(stack.orders)), '']));
    const bigOrders = Math.ceil(stack.orders / bigEvery);
    const bySequence = (path: string) => (k: number) =>
      k % 2 === 0 ? path : withCursor(path, encodeCursor([String(1 + random(bigOrders))]));
    const small = [...smallCustomers];
    const paths: Record<QueryKind, (k: number) => string> = {
      'order by id': (k) => `/api/v1/orders/${orderIds[k % orderIds.length]}`,
      'customer history, the big customer': bySequence(`/api/v1/customers/${BIG_CUSTOMER}/orders`),
      'customer history, small customers': (k) => `/api/v1/customers/${small[k % small.length]}/orders`,
      'order list, no filter': byTime('/api/v1/orders'),
      'order list, a rare status': byTime(`/api/v1/orders?status=${RARE_STATUS}`),
      'order list, the big customer': byTime(`/api/v1/orders?customerId=${BIG_CUSTOMER}`),
      'fulfillment queue': byTime('/api/v1/fulfillment/queue'),
    };

    return { figures: { ...stack, events: history.events, projectSeconds }, app, paths, teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}

const withCursor = (path: string, cursor: string) => `${path}${path.includes('?') ? '&' : '?'}cursor=${cursor}`;

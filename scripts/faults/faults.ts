// `make test-faults`: faults under a steady mixed load against the local
// stack, every answer recorded, then checks that nothing acknowledged was lost
// and that the read models equal a fold of the topics.
//
//   kill-command   kill -9 of the command app, restarted
//   kafka          Kafka stopped for 20 s, started; neither app is restarted
//   mongo          the MongoDB-wire server stopped for 10 s, started
//   kill-query     kill -9 of the query app, restarted
//   kill-snapshot  kill -9 of the command app while a snapshot round is written,
//                  its state store deleted, restarted from the snapshot topic
//
//   make test-faults                         all five
//   make test-faults ARGS="--only kafka"
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { type Document, MongoClient } from 'mongodb';
import type { ValidEvent } from '../../libs/contracts/src';
import { createKafka, kafkaSettingsFromEnv } from '../../libs/platform/src';
import { parseEvent } from '../../apps/query/src/projections/parsed-event';
import { READ_MODELS } from '../../apps/query/src/projections/read-models';
import { type ReadModelDocument, storageOf } from '../../apps/query/src/projections/projection';
import type { IdDocument } from '../../apps/query/src/projections/stored-document';
import { ADDRESS, call, GATEWAY, ROOT, sleep } from '../bench/support';
import type { CustomerOrderDocument } from '../../apps/query/src/customer-history/customer-history.document';
import type { CustomerLedger } from '../../apps/query/src/customer-history/customer-ledger';
import { CUSTOMER_LEDGERS, LEDGER_STORAGE } from '../../apps/query/src/customer-history/customer-ledger.step';
import { ledgerProblems } from '../../apps/query/test/customer-ledgers.check';

const SCENARIOS = ['kill-command', 'kafka', 'mongo', 'kill-query', 'kill-snapshot'] as const;
type Scenario = (typeof SCENARIOS)[number];
const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = (values.only?.split(',') ?? [...SCENARIOS]) as Scenario[];

const ADMIN = { authorization: `Bearer ${process.env.ADMIN_TOKEN ?? 'dev-admin-token'}` };
const RUN_DIR = process.env.OF_RUN_DIR ?? join(ROOT, '.run');
const stack = (...args: string[]) => execFileSync(join(ROOT, 'scripts/stack.sh'), args, { stdio: 'ignore' });
const pidOf = (service: string) => Number(readFileSync(join(RUN_DIR, 'pids', `${service}.pid`), 'utf8').split(' ')[0]);

/**
 * Restarts the command app with snapshot rounds every second, and kills it
 * with SIGKILL as soon as one begins writing; then deletes its state store,
 * so that its next start restores from the snapshot topic.
 */
async function killDuringSnapshot(): Promise<void> {
  const log = join(RUN_DIR, 'logs', 'command.log');
  stack('stop-service', 'command');
  const from = statSync(log).size;
  execFileSync(join(ROOT, 'scripts/stack.sh'), ['start-service', 'command'], {
    stdio: 'ignore',
    env: { ...process.env, SNAPSHOT_INTERVAL: '1s' },
  });
  // Once a round completed (the restore's base), at the start of the next.
  const roundBegun = () => {
    const since = readFileSync(log, 'utf8').slice(from);
    const written = since.indexOf('entries written');
    return written >= 0 && since.indexOf('snapshot round: writing', written) >= 0;
  };
  const deadline = Date.now() + 60000;
  while (!roundBegun()) {
    if (Date.now() > deadline) throw new Error('kill-snapshot: no snapshot round began within 60 s');
    await sleep(5);
  }
  process.kill(pidOf('command'), 'SIGKILL');
  rmSync(process.env.STATE_DIR ?? join(RUN_DIR, 'command-state'), { recursive: true, force: true });
}

interface Answer {
  kind: 'register' | 'ship' | 'cancel' | 'adjust';
  status: number;
  id?: string;
  version?: number;
}

/** A steady mix of commands from a few workers; every answer is kept. */
class Load {
  readonly answers: Answer[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private readonly open: string[] = [];

  constructor(private readonly products: string[]) {}

  start(workers = 6): void {
    this.running = true;
    this.workers = Array.from({ length: workers }, () => this.work());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    while (this.running) {
      const roll = Math.random();
      const product = this.products[Math.floor(Math.random() * this.products.length)];
      try {
        if (roll < 0.6 || this.open.length === 0) {
          const reply = await call('POST', `${GATEWAY}/api/v1/orders`, {
            customerId: `fault-${Math.floor(Math.random() * 50)}`,
            items: [{ productId: product, quantity: 1 + Math.floor(Math.random() * 3), price: '2.00' }],
            shippingAddress: ADDRESS,
          });
          const id = reply.data.orderId as string | undefined;
          this.answers.push({ kind: 'register', status: reply.status, id, version: reply.data.version as number });
          if (reply.status === 201 && id) this.open.push(id);
        } else if (roll < 0.75) {
          const id = this.open.shift()!;
          const reply = await call('POST', `${GATEWAY}/api/v1/orders/${id}/shipments`, {});
          this.answers.push({ kind: 'ship', status: reply.status, id, version: reply.data.version as number });
        } else if (roll < 0.85) {
          const id = this.open.shift()!;
          const reply = await call('POST', `${GATEWAY}/api/v1/orders/${id}/cancel`, { reason: 'fault suite' });
          this.answers.push({ kind: 'cancel', status: reply.status, id, version: reply.data.version as number });
        } else {
          const reply = await call('POST', `${GATEWAY}/api/v1/inventory/${product}/adjustments`, {
            delta: 5,
            reason: 'restock',
          });
          this.answers.push({
            kind: 'adjust',
            status: reply.status,
            id: product,
            version: reply.data.version as number,
          });
        }
      } catch {
        this.answers.push({ kind: 'register', status: 0 }); // no answer at all (gateway unreachable)
        await sleep(100);
      }
      await sleep(20);
    }
  }
}

async function waitHealthy(what: string, timeoutMs = 120000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const command = await fetch(`${GATEWAY}/health/command`).then(
      (r) => r.status,
      () => 0,
    );
    const query = await fetch(`${GATEWAY}/health/query`).then(
      (r) => r.status,
      () => 0,
    );
    if (command === 200 && query === 200) return;
    if (Date.now() > deadline) throw new Error(`${what}: the apps were not healthy again within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

async function inject(scenario: Scenario): Promise<string> {
  switch (scenario) {
    case 'kill-command':
      process.kill(pidOf('command'), 'SIGKILL');
      await sleep(2000);
      stack('up');
      return 'command app killed with SIGKILL and restarted';
    case 'kafka':
      stack('stop-service', 'kafka');
      await sleep(20000);
      stack('infra');
      return 'Kafka stopped for 20 s and started; apps not restarted';
    case 'mongo':
      stack('stop-service', 'mongo');
      await sleep(10000);
      stack('infra');
      return 'MongoDB-wire server stopped for 10 s and started; apps not restarted';
    case 'kill-query':
      process.kill(pidOf('query'), 'SIGKILL');
      await sleep(2000);
      stack('up');
      return 'query app killed with SIGKILL and restarted';
    case 'kill-snapshot':
      await killDuringSnapshot();
      stack('up');
      return 'command app killed with SIGKILL during a snapshot round, its state store deleted, restarted from the snapshot topic';
  }
}

/**
 * Every committed event of both topics, read-committed, from the start. A
 * message the read side cannot apply (the end-to-end tests park one on
 * purpose) is left out, as the projections leave it out: it is a dead letter.
 */
async function readTopics(): Promise<ValidEvent[]> {
  const settings = kafkaSettingsFromEnv('order-fulfillment-faults');
  const kafka = createKafka(settings);
  const consumer = kafka.consumer({ groupId: `faults-${randomUUID()}`, readUncommitted: false });
  const events: ValidEvent[] = [];
  let last = Date.now();
  await consumer.connect();
  await consumer.subscribe({
    topics: [settings.topics.orderEvents, settings.topics.inventoryEvents],
    fromBeginning: true,
  });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const { offset, key, value } of batch.messages) {
        const { envelope } = parseEvent({
          topic: batch.topic,
          partition: batch.partition,
          offset,
          key,
          value,
          headers: {},
        });
        if (envelope) events.push(envelope);
      }
      last = Date.now();
      await Promise.resolve();
    },
  });
  while (Date.now() - last < 4000) await sleep(250);
  await consumer.disconnect();
  return events;
}

async function verify(answers: Answer[]): Promise<string[]> {
  const report: string[] = [];
  // 1. Nothing acknowledged is lost, nothing is half applied, versions are contiguous.
  const acknowledged = answers.filter((answer) => answer.status >= 200 && answer.status < 300);
  const latest = new Map<string, number>();
  for (const answer of acknowledged) {
    if (answer.kind !== 'adjust') latest.set(answer.id!, Math.max(latest.get(answer.id!) ?? 0, answer.version ?? 0));
  }
  let checked = 0;
  for (const [orderId, version] of latest) {
    const reply = await call('GET', `${GATEWAY}/api/v1/admin/events/${orderId}?type=Order`, undefined, ADMIN);
    const events = (reply.data.events ?? []) as { aggregateVersion: number }[];
    if (reply.status !== 200 || events.length < version) {
      throw new Error(`order ${orderId}: acknowledged at version ${version}, the command app holds ${events.length}`);
    }
    events.forEach((event, index) => {
      if (event.aggregateVersion !== index + 1) throw new Error(`order ${orderId}: versions not contiguous`);
    });
    checked += 1;
  }
  report.push(
    `${acknowledged.length} acknowledged commands; all ${checked} orders they touched present, versions contiguous`,
  );

  // 2. The read models converge to a fold of the topics.
  const deadline = Date.now() + 180000;
  for (;;) {
    const status = await call('GET', `${GATEWAY}/api/v1/admin/projections`, undefined, ADMIN);
    if (status.status === 200 && status.data.lag === 0) break;
    if (Date.now() > deadline) {
      const { running, lag, lastError, partitions } = status.data as {
        running?: boolean;
        lag?: number;
        lastError?: string | null;
        partitions?: { topic: string; partition: number; lag: number }[];
      };
      const behind = (partitions ?? []).filter((p) => p.lag > 0).map((p) => `${p.topic}/${p.partition}: ${p.lag}`);
      throw new Error(
        `the projections did not catch up in 180 s: status ${status.status}, running ${String(running)}, ` +
          `lag ${String(lag)} (${behind.join(', ')}), last error ${JSON.stringify(lastError)}`,
      );
    }
    await sleep(500);
  }
  const status = await call('GET', `${GATEWAY}/api/v1/admin/projections`, undefined, ADMIN);
  const generation = Number(status.data.generation);
  const events = await readTopics();
  const mongo = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
  try {
    const db = mongo.db(process.env.MONGO_DB ?? 'order_fulfillment');
    for (const projection of READ_MODELS) {
      const expected = new Map<string, ReadModelDocument>();
      const mine = events
        .filter((event) => event.aggregateType === projection.aggregateType)
        .sort((a, b) => a.aggregateVersion - b.aggregateVersion);
      for (const event of mine) {
        const current = expected.get(event.aggregateId) ?? null;
        if (event.aggregateVersion !== (current?.version ?? 0) + 1) continue;
        expected.set(event.aggregateId, projection.apply(current, event));
      }
      const actual = await db.collection<IdDocument>(`${projection.name}_g${generation}`).find({}).toArray();
      const storage = storageOf(projection);
      const byId = new Map(actual.map((document) => [document._id, storage.decode(document)]));
      if (projection.prepare) {
        // What a batch step adds (a history entry's number) is checked below, against its ledger.
        await checkLedgers(db, generation, [...byId.values()] as CustomerOrderDocument[], report);
        for (const document of byId.values()) for (const added of ['seq', 'page']) delete document[added];
      }
      let differing = 0;
      for (const [id, document] of expected) {
        if (!isDeepStrictEqual(byId.get(id), document)) {
          differing += 1;
          if (differing <= 3) report.push(`  DIFFERS ${projection.name} ${id}`);
        }
      }
      if (differing > 0 || byId.size !== expected.size) {
        throw new Error(
          `${projection.name}: ${differing} documents differ from the fold, ${byId.size} held vs ${expected.size} folded`,
        );
      }
      report.push(`${projection.name}: ${expected.size} documents equal the fold of ${mine.length} events`);
    }
    // 3. No product negative or over-allocated.
    const stock = await db.collection<Document>(`inventory_status_g${generation}`).find({}).toArray();
    const bad = stock.filter((p) => p.onHand < 0 || p.allocated < 0 || p.allocated > p.onHand || p.available < 0);
    if (bad.length > 0)
      throw new Error(`products negative or over-allocated: ${bad.map((p) => String(p._id)).join(', ')}`);
    report.push(`${stock.length} products: none negative, none over-allocated`);
  } finally {
    await mongo.close();
  }
  return report;
}

/** Every customer ledger equals a fold of the customer's history entries, and numbers them once each. */
async function checkLedgers(
  db: ReturnType<MongoClient['db']>,
  generation: number,
  entries: CustomerOrderDocument[],
  report: string[],
): Promise<void> {
  const stored = await db.collection<IdDocument>(`${CUSTOMER_LEDGERS}_g${generation}`).find({}).toArray();
  const ledgers = stored.map((document) => LEDGER_STORAGE.decode(document) as CustomerLedger);
  const problems = ledgerProblems(entries, ledgers);
  if (problems.length > 0) throw new Error(`customer ledgers: ${problems.slice(0, 3).join('; ')}`);
  report.push(`${ledgers.length} customer ledgers equal a fold of their entries, each order numbered once`);
}

/** The last error lines of a service's log, to say why a scenario failed where only this output is kept. */
function recentErrors(service: string, count = 8): string[] {
  try {
    const log = readFileSync(join(process.env.OF_RUN_DIR ?? join(ROOT, '.run'), 'logs', `${service}.log`), 'utf8');
    return log
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line))
      .slice(-count)
      .map((line) => line.slice(0, 400));
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  await waitHealthy('before the suite', 10000).catch(() => {
    throw new Error('the stack is not up: run `make run` first');
  });
  const products = Array.from({ length: 8 }, (_, i) => `fault-sku-${i}`);
  for (const product of products) await call('PUT', `${GATEWAY}/api/v1/inventory/${product}`, { quantity: 1_000_000 });
  let failed = 0;
  for (const scenario of only) {
    console.log(`\n== ${scenario}`);
    const load = new Load(products);
    load.start();
    await sleep(3000);
    const what = await inject(scenario);
    console.log(`  ${what}`);
    await waitHealthy(scenario);
    await sleep(3000);
    await load.stop();
    const counts = new Map<number, number>();
    for (const answer of load.answers) counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
    console.log(
      `  answers by status: ${[...counts]
        .sort()
        .map(([s, n]) => `${s || 'none'}: ${n}`)
        .join(', ')}`,
    );
    try {
      for (const line of await verify(load.answers)) console.log(`  ok  ${line}`);
    } catch (error) {
      failed += 1;
      console.log(`  FAILED  ${(error as Error).message}`);
      for (const line of recentErrors('query')) console.log(`    query.log: ${line}`);
    }
  }
  console.log(`\nfault scenarios: ${only.length - failed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(`fault suite failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});

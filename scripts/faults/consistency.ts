import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type Document, MongoClient } from 'mongodb';
import type { ValidEvent } from '../../libs/contracts/src';
import { createKafka, kafkaSettingsFromEnv } from '../../libs/platform/src';
import type { CustomerOrderDocument } from '../../apps/query/src/customer-history/customer-history.document';
import type { CustomerLedger } from '../../apps/query/src/customer-history/customer-ledger';
import { CUSTOMER_LEDGERS } from '../../apps/query/src/customer-history/customer-ledger.step';
import { parseEvent } from '../../apps/query/src/projections/parsed-event';
import type { ReadModelDocument } from '../../apps/query/src/projections/projection';
import { layoutOf, SHARED_DOCUMENT_CODEC } from '../../apps/query/src/read-store/storage-layout';
import { READ_MODELS } from '../../apps/query/src/projections/read-models';
import type { IdDocument } from '../../apps/query/src/read-store/stored-document';
import { ledgerProblems } from '../../apps/query/test/customer-ledgers.check';
import { call, GATEWAY, sleep } from '../bench/support';
import type { Answer } from './load';

/*
 * What the fault suite checks after each scenario: nothing acknowledged is
 * lost, versions are contiguous, every read model equals a fold of the
 * topics, and no product is negative or over-allocated.
 */

const ADMIN = { authorization: `Bearer ${process.env.ADMIN_TOKEN ?? 'dev-admin-token'}` };

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

export async function verify(answers: Answer[]): Promise<string[]> {
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
      const storage = layoutOf(projection).codec;
      const byId = new Map(actual.map((document) => [document._id, storage.decode(document)]));
      if (projection.prepare) {
        // What a batch step adds (a history entry's number) is checked below, against its ledger.
        await checkLedgers(db, generation, [...byId.values()] as CustomerOrderDocument[], report);
        for (const document of byId.values()) delete document.seq;
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
  const ledgers = stored.map((document) => SHARED_DOCUMENT_CODEC.decode(document) as CustomerLedger);
  const problems = ledgerProblems(entries, ledgers);
  if (problems.length > 0) throw new Error(`customer ledgers: ${problems.slice(0, 3).join('; ')}`);
  report.push(`${ledgers.length} customer ledgers equal a fold of their entries, each order numbered once`);
}

// Rebuild: a query app with a fresh consumer group and empty collections
// projects a whole event history. Ceilings, writing the same final documents
// into fresh collections of the same MongoDB-wire server: raw bulk upserts (the
// issue's ceiling; timed on a sample, as this server upserts ~1,000/s) and raw
// bulk inserts (its fastest write, about ten times faster; the stricter one).
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { insertNewById, replaceAllById } from '../../apps/query/src/read-store/document-store';
import type { IdDocument } from '../../apps/query/src/read-store/stored-document';
import { generateEvents } from './event-generator';
import { scratchTopics, type SpawnedApp, startQueryApp, waitUntilProjected } from './support';

export interface RebuildFigures {
  events: number;
  documents: number;
  seconds: number;
  eventsPerSecond: number;
  ceilingSeconds: number;
  ceilingEventsPerSecond: number;
  upsertSample: number;
  upsertCeilingEventsPerSecond: number;
}

const UPSERT_SAMPLE = 20_000;

export async function benchRebuild(options: { events: number; log: (line: string) => void }): Promise<RebuildFigures> {
  const suffix = randomUUID().slice(0, 8);
  const topics = { orderEvents: `bench-rb-orders-${suffix}`, inventoryEvents: `bench-rb-inventory-${suffix}` };
  const database = `bench_rebuild_${suffix}`;
  const { producer, drop } = await scratchTopics(Object.values(topics));
  const mongo = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
  let app: SpawnedApp | null = null;
  try {
    options.log(`  writing ${options.events} events into ${topics.orderEvents} / ${topics.inventoryEvents} ...`);
    const generated = await generateEvents(producer, topics, { events: options.events });
    await producer.disconnect();

    options.log('  projecting them with a fresh query app ...');
    app = await startQueryApp({ topics, database, group: `bench-rebuild-${suffix}` });
    const seconds = await waitUntilProjected(app, options.log);
    await app.stop();
    app = null;

    options.log('  ceiling: inserting the same documents into fresh collections ...');
    const source = mongo.db(database);
    const target = mongo.db(`${database}_ceiling`);
    const collections = (await source.listCollections().toArray())
      .map((collection) => collection.name)
      .filter((name) => /_g\d+$/.test(name));
    const contents = new Map<string, IdDocument[]>();
    let documents = 0;
    for (const name of collections) {
      const all = await source.collection<IdDocument>(name).find({}).toArray();
      contents.set(name, all);
      documents += all.length;
    }
    const ceilingStarted = performance.now();
    for (const [name, all] of contents) await insertNewById(target.collection<IdDocument>(name), all);
    const ceilingSeconds = (performance.now() - ceilingStarted) / 1000;
    // The same share of every collection, upserted into yet another database.
    const share = Math.min(1, UPSERT_SAMPLE / Math.max(1, documents));
    const upsertTarget = mongo.db(`${database}_upserts`);
    let upserted = 0;
    const upsertStarted = performance.now();
    for (const [name, all] of contents) {
      const sample = all.slice(0, Math.ceil(all.length * share));
      await replaceAllById(upsertTarget.collection<IdDocument>(name), sample);
      upserted += sample.length;
    }
    const upsertSeconds = (performance.now() - upsertStarted) / 1000;
    await upsertTarget.dropDatabase().catch(() => undefined);
    await source.dropDatabase().catch(() => undefined);
    await target.dropDatabase().catch(() => undefined);
    return {
      events: generated.events,
      documents,
      seconds: Math.round(seconds * 10) / 10,
      eventsPerSecond: Math.round(generated.events / seconds),
      ceilingSeconds: Math.round(ceilingSeconds * 10) / 10,
      ceilingEventsPerSecond: Math.round(generated.events / ceilingSeconds),
      upsertSample: upserted,
      upsertCeilingEventsPerSecond: Math.round((generated.events * (upserted / documents)) / upsertSeconds),
    };
  } finally {
    await app?.stop();
    await mongo.close();
    await drop();
  }
}

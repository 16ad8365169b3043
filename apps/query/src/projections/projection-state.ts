import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { layoutOf } from '../read-store/storage-layout';
import { READ_MODELS } from './read-models';

/**
 * Which generation of the read models serves queries, and which consumer
 * group feeds it. A rebuild fills a new generation from the start of the
 * topics and switches this pointer when it has caught up.
 */
export interface ProjectionGeneration {
  _id: 'active';
  generation: number;
  groupId: string;
  activatedAt: string;
  /** The read-model schema it was built by (see READ_MODELS_SCHEMA); absent means 1. */
  schema?: number;
}

export const META_COLLECTION = 'projection_meta';

export function collectionNamer(generation: number): (base: string) => string {
  return (base) => `${base}_g${generation}`;
}

export async function readActiveGeneration(db: Db, baseGroupId: string, schema: number): Promise<ProjectionGeneration> {
  const meta = db.collection<ProjectionGeneration>(META_COLLECTION);
  const active = await meta.findOne({ _id: 'active' });
  if (active) return active;
  // A group of its own: a new read store (first start, or its data lost) reads
  // the topics from the start, never from offsets an earlier store committed.
  const initial: ProjectionGeneration = {
    _id: 'active',
    generation: 1,
    groupId: `${baseGroupId}-g1-${randomUUID().slice(0, 8)}`,
    activatedAt: new Date().toISOString(),
    schema,
  };
  await meta.updateOne({ _id: 'active' }, { $setOnInsert: initial }, { upsert: true });
  return (await meta.findOne({ _id: 'active' })) ?? initial;
}

/**
 * Makes a rebuilt generation the one that serves, if `previous` still does
 * (another instance may have switched meanwhile: then it throws).
 */
export async function activateGeneration(
  db: Db,
  next: Pick<ProjectionGeneration, 'generation' | 'groupId' | 'schema'>,
  previous: number,
): Promise<void> {
  const result = await db.collection<ProjectionGeneration>(META_COLLECTION).updateOne(
    { _id: 'active', generation: previous },
    {
      $set: {
        generation: next.generation,
        groupId: next.groupId,
        activatedAt: new Date().toISOString(),
        schema: next.schema ?? 1,
      },
    },
  );
  if (result.modifiedCount !== 1) throw new Error('the active generation changed during the rebuild');
}

/** Drops every collection of a generation (a rebuild's leftovers, or the one a rebuild replaced). */
export async function dropGeneration(db: Db, generation: number): Promise<void> {
  const namer = collectionNamer(generation);
  const names = READ_MODELS.flatMap((model) => [
    model.name,
    ...layoutOf(model).companions.map((companion) => companion.name),
  ]);
  for (const name of names) await db.dropCollection(namer(name)).catch(() => undefined);
}

import type { Db } from 'mongodb';
import type { CollectionNamer } from '../projections/projection';
import type { DocumentStore } from './document-store';

/**
 * Lists by creation time, on a MongoDB-wire server that can only find by
 * equality (FerretDB 1.24 sorts and range-filters in memory, after reading
 * every matching document). Each listed document carries `createdSecond`
 * (its creation time to the second), and a directory collection holds one
 * entry per second that has documents. A list walks the directory and finds
 * one second at a time: every find is an indexed equality, whatever the
 * collection's size. Against a real MongoDB this is merely unnecessary.
 */
export const CREATION_SECONDS = 'creation_seconds';

export function creationSecond(createdAt: string): string {
  return createdAt.slice(0, 19);
}

/**
 * Records these creation seconds in the directory. Called before the
 * documents are written: a crash in between leaves at worst an empty second,
 * never a document no list can reach.
 */
export async function recordCreationSeconds(
  store: DocumentStore,
  collection: CollectionNamer,
  seconds: readonly string[],
): Promise<void> {
  const name = collection(CREATION_SECONDS);
  // Already there is as good as written: a second's entry never changes.
  const entries = [...new Set(seconds)]
    .filter((second) => !store.known(name, second))
    .map((second) => ({ _id: second }));
  await store.insertNew(name, entries);
  store.remember(name, entries);
}

/** Every creation second of a generation's directory, in no particular order. */
export async function readCreationSeconds(db: Db, collection: CollectionNamer): Promise<string[]> {
  const entries = await db
    .collection<{ _id: string }>(collection(CREATION_SECONDS))
    .find({}, { projection: { _id: 1 } })
    .toArray();
  return entries.map((entry) => entry._id);
}

/**
 * Every creation second of a generation, ascending, for the list walks;
 * read again at most once a second (the directory only grows, and a list
 * page may miss a second written in the last one).
 */
export class CreationSecondsCache {
  private cached: { generation: number; at: number; seconds: Promise<string[]> } | null = null;

  constructor(private readonly read: (generation: number) => Promise<string[]>) {}

  get(generation: number): Promise<string[]> {
    const now = performance.now();
    const cached = this.cached;
    if (cached && cached.generation === generation && now - cached.at < 1000) return cached.seconds;
    const seconds = this.read(generation).then((found) => found.sort());
    this.cached = { generation, at: now, seconds };
    seconds.catch(() => {
      if (this.cached?.seconds === seconds) this.cached = null;
    });
    return seconds;
  }
}

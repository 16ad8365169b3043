import type { KafkaConnection } from '@of/platform';
import type { Admin, Message } from 'kafkajs';
import { readCommitted } from './event-replayer';

/** A state store key: a short tag, then its parts. */
export type SnapshotKey = (string | number)[];

/** What a snapshot round covers: written last in the round's last Kafka transaction. */
export interface SnapshotManifest {
  /** The state schema of every entry (STATE_SCHEMA when written). */
  schema: number;
  /** The state store generation the entries belong to. */
  generation: number;
  /** Next offset to read per event partition: the events the entries reflect. */
  checkpoint: [string, number][];
  events: number;
  streams: number;
}

/** A store key and its value in a snapshot (undefined: removed). */
export interface SnapshotEntry {
  key: SnapshotKey;
  value: unknown;
}

/** One round: the entries changed since the last one, read from one consistent view. */
export interface SnapshotRound {
  manifest: SnapshotManifest;
  /**
   * The changed entries, read lazily, `size` at a time. A key changed more
   * than once is sent once per `window` distinct keys.
   */
  chunks(window: number, size: number): Iterable<SnapshotEntry[]>;
  /** The last store write the round covers (known once the chunks are read). */
  readonly upTo: number;
  /** Ends the view; call once the round is written or given up. */
  done(): void;
}

/** The state store, as snapshots read and restore it. */
export interface SnapshotSource {
  readonly generation: number;
  openSnapshotRound(): SnapshotRound | null;
  snapshotTaken(upTo: number): Promise<void>;
  restoreEntry(key: SnapshotKey, value: unknown): void;
  restored(manifest: SnapshotManifest): Promise<void>;
  clear(reason: string): Promise<void>;
  flushed(): Promise<void>;
}

export const MANIFEST_KEY = JSON.stringify(['manifest']);
export const GENERATION_HEADER = 'state-generation';
/** The state schema of an entry's value (records written before the header are of schema 1). */
export const SCHEMA_HEADER = 'state-schema';

/** Snapshot records of entries (a removed key is a tombstone). */
export function snapshotMessages(entries: SnapshotEntry[], generation: number, schema: number): Message[] {
  const headers = { [GENERATION_HEADER]: String(generation), [SCHEMA_HEADER]: String(schema) };
  return entries.map(({ key, value }) => ({
    key: JSON.stringify(key),
    value: value === undefined ? null : JSON.stringify(value),
    headers,
  }));
}

export function manifestMessage(manifest: SnapshotManifest): Message {
  return {
    key: MANIFEST_KEY,
    value: JSON.stringify(manifest),
    headers: { [GENERATION_HEADER]: String(manifest.generation) },
  };
}

/**
 * The snapshot topic: compacted, so it keeps the latest record of every key
 * (and the latest manifest); one partition, so a restore reads it in order.
 */
export async function ensureSnapshotTopic(admin: Admin, topic: string): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: 1,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'retention.ms', value: '-1' },
          // Kafka compacts closed segments only: with the default 1 GiB
          // segment, a busy shop's rounds would pile up uncompacted for long.
          { name: 'segment.bytes', value: String(64 * 1024 * 1024) },
        ],
      },
    ],
  });
}

export type RestoreOutcome =
  | { restored: true; entries: number; manifest: SnapshotManifest }
  | { restored: false; reason: string; generation: number };

/**
 * Fills an empty state store from the snapshot topic: every committed record
 * of the newest generation, up to its latest manifest, whose checkpoint the
 * store then takes. A snapshot of another schema, or a generation without a
 * manifest, is not used (the caller rebuilds from the events); `generation`
 * then says the newest generation seen, which the rebuild must exceed.
 */
export async function restoreSnapshot(
  connection: KafkaConnection,
  store: SnapshotSource,
  topic: string,
  schema: number,
): Promise<RestoreOutcome> {
  let generation = 0;
  let manifest: SnapshotManifest | null = null;
  let entries = 0;
  let pending: { generation: number; schema: number; key: string; value: Buffer | null }[] = [];
  await readCommitted(connection, {
    topics: [topic],
    tombstones: true,
    apply: (message) => {
      const key = message.key;
      if (key === null) return;
      pending.push({
        generation: Number(message.header(GENERATION_HEADER) ?? 0),
        schema: Number(message.header(SCHEMA_HEADER) ?? 1),
        key,
        value: message.nullableBytes,
      });
    },
    afterBatch: async () => {
      const batch = pending;
      pending = [];
      for (const record of batch) {
        if (record.generation < generation) continue;
        if (record.generation > generation) {
          if (entries > 0) await store.clear(`snapshot generation ${record.generation} follows ${generation}`);
          [generation, manifest, entries] = [record.generation, null, 0];
        }
        if (record.key === MANIFEST_KEY) {
          manifest = record.value ? (JSON.parse(record.value.toString('utf8')) as SnapshotManifest) : null;
          continue;
        }
        // An entry of another schema cannot be used (its manifest says so too):
        // it is not stored, so a snapshot left by an older version costs a read only.
        if (record.schema !== schema) continue;
        const value: unknown = record.value === null ? undefined : JSON.parse(record.value.toString('utf8'));
        store.restoreEntry(JSON.parse(record.key) as SnapshotKey, value);
        entries += 1;
      }
    },
  });
  await store.flushed();
  const found = manifest as SnapshotManifest | null;
  if (found === null) {
    return { restored: false, reason: generation === 0 ? 'no snapshot' : 'no complete snapshot', generation };
  }
  if (found.schema !== schema) {
    return { restored: false, reason: `the snapshot has state schema ${found.schema}, not ${schema}`, generation };
  }
  await store.restored(found);
  return { restored: true, entries, manifest: found };
}

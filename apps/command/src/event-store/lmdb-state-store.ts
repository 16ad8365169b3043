import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { AggregateType } from '@of/contracts';
import { open, type RootDatabase, type RootDatabaseOptionsWithPath } from 'lmdb';
import type { StoredState } from './aggregates';
import {
  after,
  ALLOCATION,
  CHANGES,
  type ChangeNote,
  CHECKPOINT,
  type Key,
  META,
  OFFSET,
  RESPONSE,
  STREAM,
} from './lmdb-state-keys';
import { openSnapshotRound } from './lmdb-snapshot-round';
import type { SnapshotManifest, SnapshotRound } from './state-snapshot';
import type { StateStore, StateWriteBatch, StoredResponse, StoredStream } from './state-store';

/**
 * The shape of what the store holds. Change it whenever a stored form changes
 * (a state's fields, a key's layout): a store of another schema is emptied
 * at start and rebuilt from the events.
 */
export const STATE_SCHEMA = 2;

/** The largest the store may grow: 1 TiB. */
const MAP_BYTES = 2 ** 40;
/** A stream's entry: version, partition, first event's offset, state. */
interface StreamRecord {
  v: number;
  p: number;
  o: number;
  s: StoredState;
}

/**
 * The state store in LMDB (the `lmdb` package): a memory-mapped B-tree in one
 * file, read synchronously in microseconds, written asynchronously in batched
 * transactions off the main thread. Each `write` is one set of puts in one
 * event turn, which lmdb commits in one transaction, in call order: the
 * checkpoint never runs ahead of the states it covers.
 */
export class LmdbStateStore implements StateStore {
  private readonly logger = new Logger('StateStore');
  private events: number;
  private streams: number;
  /** Number of the last write; each write notes the keys it changed under it. */
  private sequence: number;
  /** Bumped each time the store is emptied: snapshot records of an older generation are void. */
  private generationNumber: number;
  private readonly covered: Map<string, number>;

  private constructor(
    private readonly db: RootDatabase,
    readonly path: string,
    private readonly identity: string,
  ) {
    this.events = (db.get(META('events')) as number | undefined) ?? 0;
    this.streams = (db.get(META('streams')) as number | undefined) ?? 0;
    this.sequence = (db.get(META('written')) as number | undefined) ?? 0;
    this.generationNumber = (db.get(META('generation')) as number | undefined) ?? 1;
    this.covered = new Map();
    for (const { key, value } of db.getRange({ start: ['c'], end: after('c') })) {
      this.covered.set(String((key as Key)[1]), value as number);
    }
  }

  /**
   * Opens (or creates) the store in `directory`. `identity` names what it
   * caches (the event topics): a store made for other topics, or of another
   * schema, is emptied first.
   */
  static async open(directory: string, identity: string): Promise<LmdbStateStore> {
    mkdirSync(directory, { recursive: true });
    const path = join(directory, 'state.mdb');
    // No read-ahead: reads are random, one aggregate at a time; read-ahead would only
    // bring neighbouring pages into memory.
    // (lmdb supports the flag; its type declarations do not list it.)
    const options: RootDatabaseOptionsWithPath & { noReadAhead: boolean } = {
      path,
      compression: false,
      noReadAhead: true,
      // Address space, not disk: the file grows as it fills. A map that is
      // never outgrown is never remapped (each remap left the old mapping's
      // pages resident beside the new one's).
      mapSize: MAP_BYTES,
    };
    const db = open(options);
    const schema = db.get(META('schema')) as number | undefined;
    const owner = db.get(META('identity')) as string | undefined;
    const reason =
      schema === undefined
        ? null
        : schema !== STATE_SCHEMA
          ? `it holds state schema ${schema}, this version reads ${STATE_SCHEMA}`
          : owner !== identity
            ? `it was made for ${owner}, not ${identity}`
            : null;
    if (reason !== null) {
      new Logger('StateStore').warn(`emptying the state store at ${path}: ${reason}; it is rebuilt from the events`);
      await db.clearAsync();
    }
    if (schema === undefined || reason !== null) {
      await db.put(META('schema'), STATE_SCHEMA);
      await db.put(META('identity'), identity);
    }
    return new LmdbStateStore(db, path, identity);
  }

  load(type: AggregateType, id: string): StoredStream | null {
    const record = this.db.get(STREAM(type, id)) as StreamRecord | undefined;
    if (record === undefined) return null;
    return {
      version: record.v,
      partition: record.p,
      firstOffset: record.o,
      state: record.s,
      allocations: type === 'Inventory' ? this.allocationsOf(id) : [],
    };
  }

  offsets(type: AggregateType, id: string): number[] {
    const offsets: number[] = [];
    for (const { key, value } of this.db.getRange({ start: ['x', type, id], end: after('x', type, id) })) {
      offsets[(key as Key)[3] as number] = value as number;
    }
    return offsets;
  }

  checkpoint(): Map<string, number> {
    return new Map(this.covered);
  }

  counts(): { events: number; streams: number } {
    return { events: this.events, streams: this.streams };
  }

  write(batch: StateWriteBatch): Promise<void> {
    const db = this.db;
    /** Every key this write changes, for the next snapshot round. */
    const note: ChangeNote = { changed: [], created: [] };
    const put = (key: Key, value: unknown) => (note.changed.push(key), db.put(key, value));
    const remove = (key: Key) => (note.changed.push(key), db.remove(key));
    for (const { type, id, stored } of batch.streams.values()) {
      const record: StreamRecord = { v: stored.version, p: stored.partition, o: stored.firstOffset, s: stored.state };
      void put(STREAM(type, id), record);
    }
    for (const { productId, orderId, held, created } of batch.allocations.values()) {
      // Created and removed within the batch: the store never had it.
      if (held === 0 && created) continue;
      const key = ALLOCATION(productId, orderId);
      if (created) note.created.push(note.changed.length);
      void (held > 0 ? put(key, held) : remove(key));
    }
    for (const { type, id, index, offset } of batch.offsets) void put(OFFSET(type, id, index), offset);
    for (const { key, fingerprint, response, at } of batch.responses) {
      void put(RESPONSE(at, key), { f: fingerprint, r: response });
    }
    for (const [partition, next] of batch.checkpoint) {
      if (next <= (this.covered.get(partition) ?? 0)) continue;
      this.covered.set(partition, next);
      void db.put(CHECKPOINT(partition), next);
    }
    this.events += batch.events;
    this.streams += batch.newStreams;
    void db.put(META('events'), this.events);
    void db.put(META('streams'), this.streams);
    if (note.changed.length > 0) void db.put(CHANGES((this.sequence += 1)), note);
    // Every put of one event turn shares one transaction: the last one settles with all.
    return db.put(META('written'), this.sequence).then(() => undefined);
  }

  async flushed(): Promise<void> {
    await this.db.flushed;
  }

  responses(since: number): StoredResponse[] {
    const found: StoredResponse[] = [];
    for (const { key, value } of this.db.getRange({ start: ['r', since], end: ['r', Number.MAX_SAFE_INTEGER] })) {
      const [, at, name] = key as [string, number, string];
      const { f, r } = value as { f: string; r: string };
      found.push({ key: name, fingerprint: f, response: r, at });
    }
    return found;
  }

  async forgetResponses(cutoff: number): Promise<void> {
    let last: Promise<boolean> | null = null;
    for (const key of this.db.getKeys({ start: ['r', 0], end: ['r', cutoff] })) last = this.db.remove(key);
    await last;
  }

  async clear(reason: string): Promise<void> {
    this.logger.warn(`emptying the state store at ${this.path}: ${reason}; it is rebuilt`);
    await this.db.flushed;
    await this.db.clearAsync();
    this.generationNumber += 1;
    await this.db.put(META('schema'), STATE_SCHEMA);
    await this.db.put(META('identity'), this.identity);
    await this.db.put(META('generation'), this.generationNumber);
    await this.db.put(META('written'), this.sequence);
    this.events = 0;
    this.streams = 0;
    this.covered.clear();
  }

  get generation(): number {
    return this.generationNumber;
  }

  /** Makes this store's generation newer than `seen` (a generation found in the snapshot topic). */
  async outrank(seen: number): Promise<void> {
    if (this.generationNumber > seen) return;
    this.generationNumber = seen + 1;
    await this.db.put(META('generation'), this.generationNumber);
  }

  /** Opens a snapshot round: what changed since the last round (see lmdb-snapshot-round.ts). */
  openSnapshotRound(): SnapshotRound | null {
    return openSnapshotRound(this.db, { schema: STATE_SCHEMA, generation: this.generationNumber });
  }

  /** The round up to write `upTo` is in Kafka: its change notes are no longer needed. */
  async snapshotTaken(upTo: number): Promise<void> {
    let last: Promise<boolean> = Promise.resolve(true);
    for (const key of this.db.getKeys({ start: ['w'], end: ['w', upTo + 1] })) last = this.db.remove(key);
    await last;
  }

  /** Restores one entry read back from a snapshot (undefined removes it). */
  restoreEntry(key: Key, value: unknown): void {
    void (value === undefined ? this.db.remove(key) : this.db.put(key, value));
  }

  /** Ends a restore: the store now holds the snapshot `manifest` describes. */
  async restored(manifest: SnapshotManifest): Promise<void> {
    this.generationNumber = manifest.generation;
    this.events = manifest.events;
    this.streams = manifest.streams;
    this.covered.clear();
    for (const [partition, next] of manifest.checkpoint) {
      this.covered.set(partition, next);
      void this.db.put(CHECKPOINT(partition), next);
    }
    void this.db.put(META('generation'), this.generationNumber);
    void this.db.put(META('events'), this.events);
    await this.db.put(META('streams'), this.streams);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private allocationsOf(productId: string): [string, number][] {
    const held: [string, number][] = [];
    for (const { key, value } of this.db.getRange({ start: ['a', productId], end: after('a', productId) })) {
      held.push([(key as Key)[2] as string, value as number]);
    }
    return held;
  }
}

import type { RootDatabase } from 'lmdb';
import { after, type ChangeNote, type Key, META } from './lmdb-state-keys';
import type { SnapshotEntry, SnapshotKey, SnapshotRound } from './state-snapshot';

/**
 * Opens a snapshot round on the LMDB state store: what changed since the
 * last round, read through one read transaction (a consistent view at the
 * checkpoint its manifest gives, however long the round takes; writes go on
 * meanwhile). Null when nothing changed.
 *
 * Each write leaves a change note (the keys it changed) under its sequence
 * number; the round reads the notes in order, and the values of their keys
 * as this view holds them. The notes are removed once the round is in Kafka
 * (see LmdbStateStore.snapshotTaken).
 */
export function openSnapshotRound(
  db: RootDatabase,
  store: { schema: number; generation: number },
): SnapshotRound | null {
  const transaction = db.useReadTransaction();
  const first = [...db.getKeys({ start: ['w'], end: after('w'), limit: 1, transaction })];
  if (first.length === 0) {
    transaction.done();
    return null;
  }
  const checkpoint: [string, number][] = [];
  for (const { key, value } of db.getRange({ start: ['c'], end: after('c'), transaction })) {
    checkpoint.push([String((key as Key)[1]), value as number]);
  }
  const count = (name: string) => (db.get(META(name), { transaction }) as number | undefined) ?? 0;
  const manifest = {
    schema: store.schema,
    generation: store.generation,
    checkpoint,
    events: count('events'),
    streams: count('streams'),
  };
  let upTo = 0;
  return {
    manifest,
    get upTo() {
      return upTo;
    },
    *chunks(window: number, size: number) {
      // Keys are deduplicated within a window of changed keys; one sent twice
      // carries the same value. A key the window saw created, and that is gone
      // in this view, was in no earlier round: its removal is not sent.
      let seen = new Map<string, { key: SnapshotKey; created: boolean }>();
      function* entries() {
        let found: SnapshotEntry[] = [];
        for (const { key, created } of seen.values()) {
          const value = db.get(key, { transaction }) as unknown;
          if (value !== undefined || !created) found.push({ key, value });
          if (found.length >= size) {
            yield found;
            found = [];
          }
        }
        if (found.length > 0) yield found;
      }
      for (const { key, value } of db.getRange({ start: ['w'], end: after('w'), transaction })) {
        upTo = (key as Key)[1] as number;
        const note = value as ChangeNote;
        const created = new Set(note.created);
        note.changed.forEach((changed, place) => {
          const name = JSON.stringify(changed);
          if (!seen.has(name)) seen.set(name, { key: changed, created: created.has(place) });
        });
        if (seen.size >= window) {
          yield* entries();
          seen = new Map();
        }
      }
      if (seen.size > 0) yield* entries();
    },
    done: () => transaction.done(),
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredState } from './aggregates';
import { LmdbStateStore } from './lmdb-state-store';
import type { SnapshotEntry } from './state-snapshot';
import { StateWriteBatch } from './state-store';

/** A state as the store keeps it; its content does not matter to the store. */
const order = (id: string, status: string): StoredState => ({ id, status });

/** A batch that stores each order at `version`. */
function batchOf(ids: string[], version: number, status: string): StateWriteBatch {
  const batch = new StateWriteBatch();
  for (const id of ids) {
    batch.stream('Order', id, { version, partition: 0, firstOffset: 0, state: order(id, status) });
    batch.events += 1;
  }
  return batch;
}

/** The state store on a real LMDB file in a scratch directory (no Kafka involved). */
describe('LmdbStateStore snapshot rounds', () => {
  let directory: string;
  let store: LmdbStateStore;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'state-store-spec-'));
    store = await LmdbStateStore.open(directory, 'spec-topics');
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const readRound = (window: number, size: number): SnapshotEntry[][] => {
    const round = store.openSnapshotRound();
    if (!round) throw new Error('the round saw no change');
    try {
      return [...round.chunks(window, size)];
    } finally {
      round.done();
    }
  };

  it('reads the changed entries a few at a time, each key once per window, with its latest value', async () => {
    const ids = Array.from({ length: 10 }, (_, n) => `o-${n}`);
    await store.write(batchOf(ids, 1, 'PLACED'));
    await store.write(batchOf(['o-0', 'o-1'], 2, 'SHIPPED'));

    const chunks = readRound(100, 3);

    expect(chunks.map((chunk) => chunk.length)).toEqual([3, 3, 3, 1]);
    const keys = chunks.flat().map((entry) => JSON.stringify(entry.key));
    expect(new Set(keys).size).toBe(10);
    const first = chunks.flat().find((entry) => JSON.stringify(entry.key) === JSON.stringify(['s', 'Order', 'o-0']));
    expect(first?.value).toMatchObject({ v: 2, s: { status: 'SHIPPED' } });
  });

  it('sends a key again only when its changes fall in different windows', async () => {
    await store.write(batchOf(['a', 'b'], 1, 'PLACED'));
    await store.write(batchOf(['c', 'd'], 1, 'PLACED'));
    await store.write(batchOf(['a'], 2, 'SHIPPED'));

    const keys = readRound(2, 10)
      .flat()
      .map((entry) => entry.key[2]);

    // Windows of two distinct keys: {a, b}, {c, d}, {a}; both sends of `a` carry its latest state.
    expect(keys).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('reads nothing once a round is taken', async () => {
    await store.write(batchOf(['a'], 1, 'PLACED'));
    const round = store.openSnapshotRound();
    if (!round) throw new Error('the round saw no change');
    expect([...round.chunks(10, 10)].flat()).toHaveLength(1);
    round.done();
    await store.snapshotTaken(round.upTo);

    expect(store.openSnapshotRound()).toBeNull();
  });
});

import { IdempotencyKeyReusedError } from '@of/platform';
import { commandResponse, type CommandResponse } from './command-response';
import { IDEMPOTENCY_HEADERS, IdempotencyStore } from './idempotency.store';

const HOUR = 60 * 60 * 1000;

describe('IdempotencyStore', () => {
  let now: number;
  let store: IdempotencyStore;
  let runs: number;
  const execute = () => {
    runs += 1;
    return Promise.resolve(commandResponse({ run: runs }, runs));
  };
  const recordOf = (key: string, response: CommandResponse, timestamp: number) => ({
    timestamp,
    header: (name: string) =>
      ({
        [IDEMPOTENCY_HEADERS.key]: key,
        [IDEMPOTENCY_HEADERS.fingerprint]: 'fp',
        [IDEMPOTENCY_HEADERS.response]: JSON.stringify(response),
      })[name],
  });

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    runs = 0;
    store = new IdempotencyStore({ ttlMs: 24 * HOUR, now: () => now });
  });

  it('runs a command once per key; a retry gets the first answer, marked as replayed', async () => {
    const first = await store.run('k', 'fp', execute);
    const retry = await store.run('k', 'fp', execute);
    expect(runs).toBe(1);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('refuses the same key with another request', async () => {
    await store.run('k', 'fp', execute);
    await expect(store.run('k', 'other', execute)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('forgets a key once its window has passed: the same key runs anew', async () => {
    await store.run('k', 'fp', execute);
    now += 24 * HOUR - 1;
    await store.run('k', 'fp', execute);
    expect(runs).toBe(1);
    now += 1;
    await store.run('k', 'other', execute);
    expect(runs).toBe(2);
  });

  it('sweeps expired keys out of memory', async () => {
    await store.run('old', 'fp', execute);
    now += 23 * HOUR;
    await store.run('young', 'fp', execute);
    expect(store.size).toBe(2);
    now += 2 * HOUR;
    await store.run('newest', 'fp', execute);
    expect(store.size).toBe(2);
  });

  it('restores records read back from Kafka within the window only', async () => {
    const answer = commandResponse({ restored: true }, 7);
    store.restore(recordOf('recent', answer, now - 23 * HOUR));
    store.restore(recordOf('stale', answer, now - 25 * HOUR));
    expect(store.size).toBe(1);
    expect((await store.run('recent', 'fp', execute)).body).toEqual(answer.body);
    await store.run('stale', 'fp', execute);
    expect(runs).toBe(1);
  });

  it('holds at most maxEntries keys, forgetting the oldest first', async () => {
    store = new IdempotencyStore({ ttlMs: 24 * HOUR, maxEntries: 2, now: () => now });
    for (const key of ['a', 'b', 'c']) await store.run(key, 'fp', execute);
    expect(store.size).toBe(2);
    await store.run('a', 'fp', execute);
    expect(runs).toBe(4);
  });
});

import { type PacedResult, pooled } from './paced-load';

const load = (latencies: number[], extra: Partial<PacedResult> = {}): PacedResult => ({
  requestsPerSecond: 0,
  p50: 0,
  p99: 0,
  requests: latencies.length,
  non2xx: 0,
  errors: 0,
  maxSendDelayMs: 0,
  latencies,
  seconds: 1,
  ...extra,
});

describe('pooling paced loads', () => {
  it('takes the percentiles over all the rounds’ latencies together, not an average of theirs', () => {
    // 99 fast answers in one round, one slow one in the other: pooled, the
    // slow one is the top 1 %, not half of the p99.
    const fast = load(Array.from({ length: 99 }, () => 1));
    const slow = load([50]);

    const result = pooled([fast, slow]);

    expect(result.p50).toBe(1);
    expect(result.p99).toBe(1);
    expect(pooled([fast, slow, load([60, 70])]).p99).toBe(60);
    expect(result.latencies).toHaveLength(100);
    expect(result.latencies.at(-1)).toBe(50);
  });

  it('adds up requests, failures and time, and keeps the sender’s worst delay', () => {
    const result = pooled([
      load([2, 3], { non2xx: 1, errors: 2, seconds: 2, maxSendDelayMs: 4 }),
      load([1, 4, 5], { errors: 1, seconds: 3, maxSendDelayMs: 9 }),
    ]);

    expect(result.requests).toBe(9);
    expect(result.non2xx).toBe(1);
    expect(result.errors).toBe(3);
    expect(result.seconds).toBe(5);
    expect(result.requestsPerSecond).toBe(1);
    expect(result.maxSendDelayMs).toBe(9);
    expect(result.latencies).toEqual([1, 2, 3, 4, 5]);
  });
});

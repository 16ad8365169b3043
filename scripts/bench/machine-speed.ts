// The machines here are shared, and their speed moves by two to three times
// between periods (a trivial-endpoint ceiling of 25,861/s in one session,
// 13,414/s in a later one). A fixed single-threaded workload,
// timed at the start and the end of every run, says which kind of period a
// run came from, so figures of different runs can be put side by side.

/** Milliseconds for a fixed amount of object churn, Map updates and JSON; best of three, lower is faster. */
export function machineSpeedMs(rounds = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    const latest = new Map<string, { id: string; version: number; lines: number[] }>();
    let bytes = 0;
    for (let i = 0; i < 300_000; i += 1) {
      const record = { id: `k${i % 50_000}`, version: i, lines: [i, i + 1] };
      latest.set(record.id, record);
      bytes += JSON.stringify(record).length;
    }
    // Uses the result, so the work cannot be optimized away.
    if (bytes === 0 || latest.size !== 50_000) throw new Error('machine-speed workload went wrong');
    best = Math.min(best, performance.now() - started);
  }
  return Math.round(best);
}

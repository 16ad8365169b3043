import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

/** `make seed-data` in small, as a user runs it. */
async function seed(runId: string): Promise<string> {
  const { stdout } = await run(
    join(ROOT, 'node_modules/.bin/tsx'),
    ['scripts/seed-data.ts', '--orders', '40', '--products', '6', '--run-id', runId, '--no-progress'],
    { cwd: ROOT, env: process.env, timeout: 120000 },
  );
  return stdout;
}

describe('make seed-data', () => {
  it('fills the system through the gateway, checks the read models, and replays safely when run again', async () => {
    const runId = `e2e-${randomUUID().slice(0, 8)}`;
    const first = await seed(runId);
    expect(first).toContain('The read models match what was done.');
    const calls = Number(/(\d+) calls \(/.exec(first)?.[1]);
    expect(calls).toBeGreaterThanOrEqual(46); // 6 products + 40 orders, then their lifecycles
    expect(first).toContain('0 replayed');

    const again = await seed(runId);
    expect(again).toContain(`${calls} replayed from an earlier run`);
    expect(again).toContain('The read models match what was done.');
  });
});

// `make test-faults`: faults under a steady mixed load against the local
// stack, every answer recorded, then checks that nothing acknowledged was lost
// and that the read models equal a fold of the topics.
//
//   kill-command   kill -9 of the command app, restarted
//   kafka          Kafka stopped for 20 s, started; neither app is restarted
//   mongo          the MongoDB-wire server stopped for 10 s, started
//   kill-query     kill -9 of the query app, restarted
//   kill-snapshot  kill -9 of the command app while a snapshot round is written,
//                  its state store deleted, restarted from the snapshot topic
//
//   make test-faults                         all five
//   make test-faults ARGS="--only kafka"
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commandConfigFromEnv } from '../../apps/command/src/command-config';
import { createKafka, kafkaSettingsFromEnv } from '../../libs/platform/src';
import { untilRoundMidWay } from '../../test/support/snapshot-rounds';
import { call, GATEWAY, ROOT, sleep } from '../bench/support';
import { verify } from './consistency';
import { Load } from './load';

const SCENARIOS = ['kill-command', 'kafka', 'mongo', 'kill-query', 'kill-snapshot'] as const;
type Scenario = (typeof SCENARIOS)[number];
const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = (values.only?.split(',') ?? [...SCENARIOS]) as Scenario[];

const RUN_DIR = process.env.OF_RUN_DIR ?? join(ROOT, '.run');
const stack = (...args: string[]) => execFileSync(join(ROOT, 'scripts/stack.sh'), args, { stdio: 'ignore' });
const pidOf = (service: string) => Number(readFileSync(join(RUN_DIR, 'pids', `${service}.pid`), 'utf8').split(' ')[0]);

/**
 * Restarts the command app with snapshot rounds every three seconds, and
 * kills it with SIGKILL once a round has sent records to the snapshot topic
 * and before it commits; then deletes its state store, so that its next
 * start settles the round cut short and restores from the snapshot topic.
 */
async function killDuringSnapshot(): Promise<void> {
  const log = join(RUN_DIR, 'logs', 'command.log');
  const { snapshotTopic } = commandConfigFromEnv();
  const admin = createKafka(kafkaSettingsFromEnv('order-fulfillment-faults')).admin();
  await admin.connect();
  try {
    stack('stop-service', 'command');
    const from = statSync(log).size;
    execFileSync(join(ROOT, 'scripts/stack.sh'), ['start-service', 'command'], {
      stdio: 'ignore',
      env: { ...process.env, SNAPSHOT_INTERVAL: '3s' },
    });
    await untilRoundMidWay({ log: () => readFrom(log, from), admin, snapshotTopic, timeoutMs: 60000 });
    process.kill(pidOf('command'), 'SIGKILL');
  } finally {
    await admin.disconnect();
  }
  rmSync(process.env.STATE_DIR ?? join(RUN_DIR, 'command-state'), { recursive: true, force: true });
}

/** A file from `offset` on (a long-running stack's log is large; only what this run wrote is read). */
function readFrom(path: string, offset: number): string {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(Math.max(0, fstatSync(fd).size - offset));
    readSync(fd, bytes, 0, bytes.length, offset);
    return bytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

async function waitHealthy(what: string, timeoutMs = 120000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const command = await fetch(`${GATEWAY}/health/command`).then(
      (r) => r.status,
      () => 0,
    );
    const query = await fetch(`${GATEWAY}/health/query`).then(
      (r) => r.status,
      () => 0,
    );
    if (command === 200 && query === 200) return;
    if (Date.now() > deadline) throw new Error(`${what}: the apps were not healthy again within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

async function inject(scenario: Scenario): Promise<string> {
  switch (scenario) {
    case 'kill-command':
      process.kill(pidOf('command'), 'SIGKILL');
      await sleep(2000);
      stack('up');
      return 'command app killed with SIGKILL and restarted';
    case 'kafka':
      stack('stop-service', 'kafka');
      await sleep(20000);
      stack('infra');
      return 'Kafka stopped for 20 s and started; apps not restarted';
    case 'mongo':
      stack('stop-service', 'mongo');
      await sleep(10000);
      stack('infra');
      return 'MongoDB-wire server stopped for 10 s and started; apps not restarted';
    case 'kill-query':
      process.kill(pidOf('query'), 'SIGKILL');
      await sleep(2000);
      stack('up');
      return 'query app killed with SIGKILL and restarted';
    case 'kill-snapshot':
      await killDuringSnapshot();
      stack('up');
      return 'command app killed with SIGKILL during a snapshot round, its state store deleted, restarted from the snapshot topic';
  }
}

/** The last error lines of a service's log, to say why a scenario failed where only this output is kept. */
function recentErrors(service: string, count = 8): string[] {
  try {
    const log = readFileSync(join(process.env.OF_RUN_DIR ?? join(ROOT, '.run'), 'logs', `${service}.log`), 'utf8');
    return log
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line))
      .slice(-count)
      .map((line) => line.slice(0, 400));
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  await waitHealthy('before the suite', 10000).catch(() => {
    throw new Error('the stack is not up: run `make run` first');
  });
  const products = Array.from({ length: 8 }, (_, i) => `fault-sku-${i}`);
  for (const product of products) await call('PUT', `${GATEWAY}/api/v1/inventory/${product}`, { quantity: 1_000_000 });
  let failed = 0;
  for (const scenario of only) {
    console.log(`\n== ${scenario}`);
    const load = new Load(products);
    load.start();
    await sleep(3000);
    const what = await inject(scenario);
    console.log(`  ${what}`);
    await waitHealthy(scenario);
    await sleep(3000);
    await load.stop();
    const counts = new Map<number, number>();
    for (const answer of load.answers) counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
    console.log(
      `  answers by status: ${[...counts]
        .sort()
        .map(([s, n]) => `${s || 'none'}: ${n}`)
        .join(', ')}`,
    );
    try {
      for (const line of await verify(load.answers)) console.log(`  ok  ${line}`);
    } catch (error) {
      failed += 1;
      console.log(`  FAILED  ${(error as Error).message}`);
      for (const line of recentErrors('query')) console.log(`    query.log: ${line}`);
    }
  }
  console.log(`\nfault scenarios: ${only.length - failed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(`fault suite failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});

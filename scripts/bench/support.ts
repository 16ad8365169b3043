// Shared pieces of the benchmarks: HTTP calls, autocannon runs, percentiles,
// Prometheus scrapes and apps spawned with settings of their own.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Agent, request } from 'undici';
import type { Admin, Producer } from 'kafkajs';
import { createKafka, type KafkaSettings, kafkaSettingsFromEnv } from '../../libs/platform/src';
import { freePort } from '../../test/support/net';

export const ROOT = join(__dirname, '../..');
export const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';
export const COMMAND_URL = `http://127.0.0.1:${process.env.COMMAND_PORT ?? '3001'}`;
export const QUERY_URL = `http://127.0.0.1:${process.env.QUERY_PORT ?? '3002'}`;
export { ADDRESS } from '../../test/support/fixtures';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// undici's request, not fetch: about a quarter of the CPU per call (2.2 against
// 8.5 CPU-seconds in one freshness run), taken from the system it measures.
const dispatcher = new Agent({ connections: 512 });

export async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; data: Record<string, unknown> }> {
  const response = await request(url, {
    dispatcher,
    method: method as 'GET',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await response.body.json().catch(() => ({}))) as { data?: Record<string, unknown> };
  return { status: response.statusCode, data: parsed.data ?? parsed };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Waits until the live projections have read every event; returns the lag
 * first seen. Every bench section starts so, and the commands bench times it.
 */
export async function waitForLiveProjections(): Promise<number> {
  const headers = { authorization: `Bearer ${process.env.ADMIN_TOKEN ?? 'dev-admin-token'}` };
  let first: number | null = null;
  let answered = Date.now();
  for (let shown = Date.now(); ;) {
    const status = await call('GET', `${GATEWAY}/api/v1/admin/projections`, undefined, headers);
    const lag = Number(status.data.lag);
    if (status.status !== 200 || !Number.isFinite(lag)) {
      // A figure timed against an unanswered lag would be wrong, not merely noisy.
      if (Date.now() - answered > 60000) {
        throw new Error(`GET /api/v1/admin/projections answered ${status.status} for 60 s: is the query app up?`);
      }
      await sleep(250);
      continue;
    }
    answered = Date.now();
    first ??= lag;
    if (lag === 0) return first;
    if (Date.now() - shown > 15000) {
      console.log(`  waiting for the live projections to catch up: ${lag} events behind`);
      shown = Date.now();
    }
    await sleep(250);
  }
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ ...options, excludeErrorStats: false });
  const seconds = result.duration;
  return {
    requestsPerSecond: Math.round(result.requests.total / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Sum of the samples of one metric whose labels include `labels`. */
export async function scrape(base: string): Promise<(name: string, labels?: Record<string, string>) => number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return (name, labels = {}) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** A built app started with settings of its own, its output kept for inspection. */
export class SpawnedApp {
  readonly output: string[] = [];
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly startedAt: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean)));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean)));
  }

  static async start(app: 'command' | 'query', env: Record<string, string>): Promise<SpawnedApp> {
    const port = await freePort();
    const main = join(ROOT, `dist/apps/${app}/apps/${app}/src/main.js`);
    // The flags scripts/stack.sh starts each app with.
    const flags = [
      '--max-semi-space-size=64',
      '--heap-growing-percent=100',
      ...(app === 'command' ? ['--expose-gc'] : []),
      // Extra flags for a look inside, as scripts/stack.sh takes them (e.g. OF_NODE_FLAGS=--cpu-prof).
      ...(process.env.OF_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    ];
    const child = spawn('node', [...flags, main], {
      env: { ...process.env, ...env, [`${app.toUpperCase()}_PORT`]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new SpawnedApp(child, `http://127.0.0.1:${port}`, performance.now());
  }

  /** Milliseconds from spawn until /health answered 200. */
  async ready(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`the app exited: ${this.output.slice(-5).join('\n')}`);
      const ok = await fetch(`${this.url}/health`)
        .then((response) => response.ok)
        .catch(() => false);
      if (ok) return performance.now() - this.startedAt;
      if (Date.now() > deadline)
        throw new Error(`not ready within ${timeoutMs} ms: ${this.output.slice(-5).join('\n')}`);
      await sleep(50);
    }
  }

  /** Resident memory now, in bytes. */
  rss(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await Promise.race([exited, sleep(10000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** A query app of a bench's own: its topics, database and consumer group; resolves once it answers. */
export async function startQueryApp(options: {
  topics: { orderEvents: string; inventoryEvents: string };
  database: string;
  group: string;
}): Promise<SpawnedApp> {
  const app = await SpawnedApp.start('query', {
    ORDER_EVENTS_TOPIC: options.topics.orderEvents,
    INVENTORY_EVENTS_TOPIC: options.topics.inventoryEvents,
    MONGO_DB: options.database,
    KAFKA_CONSUMER_GROUP: options.group,
  });
  try {
    await app.ready(120000);
  } catch (error) {
    await app.stop();
    throw error;
  }
  return app;
}

/**
 * Waits until a spawned query app has projected every event of its topics
 * (lag 0 after it consumed something); returns the seconds it took.
 */
export async function waitUntilProjected(app: SpawnedApp, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  const token = process.env.ADMIN_TOKEN ?? 'dev-admin-token';
  for (let shown = 0; ;) {
    const response = await fetch(`${app.url}/api/v1/admin/projections`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const status = (await response.json()) as { data: { lag: number; partitions: { committedOffset: number }[] } };
    const consumed = status.data.partitions.reduce((sum, p) => sum + Math.max(0, p.committedOffset), 0);
    if (status.data.lag === 0 && consumed > 0) return (performance.now() - started) / 1000;
    if (performance.now() - started > 3600_000) throw new Error('the projection did not finish within an hour');
    if (consumed - shown >= 200_000) log(`    ${(shown = consumed)} events projected`);
    await sleep(250);
  }
}

/** A fresh directory for a spawned command app's state store; `remove` deletes it. */
export function scratchStateDir(name: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `${name}-state-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Event topics of a bench's own (each with its dead-letter topic), an admin
 * and a plain idempotent producer to fill them; `drop` deletes the topics.
 */
export async function scratchTopics(names: string[]): Promise<{
  settings: KafkaSettings;
  admin: Admin;
  producer: Producer;
  drop: () => Promise<void>;
}> {
  const settings = kafkaSettingsFromEnv('order-fulfillment-bench');
  const kafka = createKafka(settings);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: names.flatMap((topic) => [
      { topic, numPartitions: settings.partitions },
      { topic: `${topic}.dlq`, numPartitions: 1 },
    ]),
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  return {
    settings,
    admin,
    producer,
    drop: async () => {
      await producer.disconnect().catch(() => undefined);
      await admin.deleteTopics({ topics: names.flatMap((topic) => [topic, `${topic}.dlq`]) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

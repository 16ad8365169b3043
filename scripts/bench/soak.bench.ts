// Soak: whole order lifecycles at a fixed registration rate for a long
// while (register, then ship and deliver, or cancel one in ten), through the
// gateway. The command app's resident memory is sampled every `sampleSeconds`;
// after the warm-up its slope says whether memory follows live state (flat)
// or history (rising). Freshness and errors are measured on the way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stackKafkaBytes } from './kafka-bytes';
import { ADDRESS, call, GATEWAY, percentile, ROOT, sleep } from './support';

export interface SoakFigures {
  seconds: number;
  rate: number;
  lifecycles: number;
  commands: number;
  /** Answers other than the expected 2xx, and calls that got no answer. */
  errors: number;
  /** Lifecycles still running a minute after the last one was due: the system fell behind the rate. */
  unfinished: number;
  freshnessP50: number;
  freshnessP99: number;
  /** Reads that did not see the last version within the 3 s minVersion wait. */
  stale: number;
  rss: { second: number; bytes: number; anonymous: number }[];
  /** The stack's event topics and snapshot changelog on disk at the end (null: not the local stack). */
  kafkaBytes: { events: number; snapshots: number } | null;
  warmupSeconds: number;
  /** Least-squares slope of resident memory after the warm-up. */
  slopeMiBPerMinute: number;
  /** The same for the app's own (anonymous) resident memory: without the state store's mapped file pages. */
  anonymousSlopeMiBPerMinute: number;
}

/**
 * The resident memory of the command app the local stack runs (scripts/stack.sh
 * records its pid): in all, and the part that is the app's own (anonymous:
 * heap, buffers). The rest is file pages mapped in, nearly all of it the
 * state store's LMDB file: page cache the kernel can take back at any time.
 */
function commandMemory(): { bytes: number; anonymous: number } {
  const runDir = process.env.OF_RUN_DIR ?? join(ROOT, '.run');
  const pid = readFileSync(join(runDir, 'pids', 'command.pid'), 'utf8').split(' ')[0];
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { bytes: kib('VmRSS'), anonymous: kib('RssAnon') };
}

/** MiB per minute, fitted to the samples taken from `fromSecond` on. */
export function slopeMiBPerMinute(samples: readonly { second: number; bytes: number }[], fromSecond: number): number {
  const points = samples.filter((sample) => sample.second >= fromSecond);
  if (points.length < 2) return Number.NaN;
  const meanX = points.reduce((sum, p) => sum + p.second, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.bytes, 0) / points.length;
  const covariance = points.reduce((sum, p) => sum + (p.second - meanX) * (p.bytes - meanY), 0);
  const variance = points.reduce((sum, p) => sum + (p.second - meanX) ** 2, 0);
  return Math.round(((covariance / variance) * 60 * 100) / 2 ** 20) / 100;
}

export async function benchSoak(options: {
  rate: number;
  seconds: number;
  warmupSeconds: number;
  sampleSeconds: number;
  log: (line: string) => void;
}): Promise<SoakFigures> {
  const tag = randomUUID().slice(0, 6);
  const products = Array.from({ length: 20 }, (_, i) => `bench-soak-${tag}-${i}`);
  for (const product of products) {
    await call('PUT', `${GATEWAY}/api/v1/inventory/${product}`, { quantity: 1_000_000_000 });
  }
  let commands = 0;
  let errors = 0;
  let stale = 0;
  const freshness: number[] = [];
  const expect = async (
    method: string,
    path: string,
    status: number,
    body?: unknown,
  ): Promise<Record<string, unknown> | null> => {
    commands += 1;
    const answer = await call(method, `${GATEWAY}${path}`, body).catch(() => ({ status: 0, data: {} }));
    if (answer.status !== status) errors += 1;
    return answer.status === status ? answer.data : null;
  };
  const lifecycle = async (index: number) => {
    const registered = await expect('POST', '/api/v1/orders', 201, {
      customerId: `bench-soak-${tag}-${index % 1000}`,
      items: [{ productId: products[index % products.length], quantity: 1, price: '9.90' }],
      shippingAddress: ADDRESS,
    });
    if (!registered) return;
    const orderId = String(registered.orderId);
    let last: Record<string, unknown> | null;
    if (index % 10 === 0) {
      last = await expect('DELETE', `/api/v1/orders/${orderId}`, 200);
    } else {
      last = await expect('POST', `/api/v1/orders/${orderId}/shipments`, 200, {});
      if (last) last = await expect('POST', `/api/v1/orders/${orderId}/deliveries`, 200, {});
    }
    if (!last || index % 5 !== 0) return;
    const acknowledged = performance.now();
    const path = `${GATEWAY}/api/v1/orders/${orderId}?minVersion=${String(last.version)}`;
    const unanswered: { status: number; data: Record<string, unknown> } = { status: 0, data: {} };
    const read = await call('GET', path).catch(() => unanswered);
    if (read.status === 200 && Number(read.data.version) >= Number(last.version)) {
      freshness.push(performance.now() - acknowledged);
    } else {
      stale += 1;
    }
  };

  const rss: SoakFigures['rss'] = [];
  const started = performance.now();
  const second = () => Math.round((performance.now() - started) / 1000);
  let sampling = true;
  const sampler = (async () => {
    for (let next = 0; sampling; next += options.sampleSeconds) {
      const wait = started + next * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
      if (!sampling) break;
      const memory = commandMemory();
      rss.push({ second: second(), ...memory });
      if (next > 0 && next % 60 === 0) {
        options.log(
          `    ${next} s: command app ${Math.round(memory.bytes / 2 ** 20)} MiB (its own ${Math.round(memory.anonymous / 2 ** 20)} MiB), ${errors} errors so far`,
        );
      }
    }
  })();

  const inFlight = new Set<Promise<void>>();
  const total = options.rate * options.seconds;
  let sent = 0;
  // Open loop: each lifecycle starts on its own schedule, whatever the others do.
  while (sent < total) {
    const wait = started + (sent * 1000) / options.rate - performance.now();
    if (wait > 1) await sleep(wait);
    const task = lifecycle(sent).finally(() => inFlight.delete(task));
    inFlight.add(task);
    sent += 1;
  }
  // A system that keeps up finishes within seconds; one that fell behind is not waited for long.
  await Promise.race([Promise.all(inFlight), sleep(60_000)]);
  const unfinished = inFlight.size;
  rss.push({ second: second(), ...commandMemory() });
  sampling = false;
  await sampler;
  freshness.sort((a, b) => a - b);
  return {
    seconds: options.seconds,
    rate: options.rate,
    lifecycles: sent,
    commands,
    errors,
    unfinished,
    freshnessP50: Math.round(percentile(freshness, 50)),
    freshnessP99: Math.round(percentile(freshness, 99)),
    stale,
    rss,
    kafkaBytes: stackKafkaBytes(),
    warmupSeconds: options.warmupSeconds,
    slopeMiBPerMinute: slopeMiBPerMinute(rss, options.warmupSeconds),
    anonymousSlopeMiBPerMinute: slopeMiBPerMinute(
      rss.map(({ second, anonymous }) => ({ second, bytes: anonymous })),
      options.warmupSeconds,
    ),
  };
}

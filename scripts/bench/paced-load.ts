// Open-loop GETs at a fixed rate, sent from a worker thread of their own.
import { Worker } from 'node:worker_threads';
import { type LoadResult, percentile } from './support';

/** What the worker measured: each answered request's latency, and how late the sender was. */
interface PacedReport {
  latencies: number[];
  non2xx: number;
  errors: number;
  seconds: number;
  /** The most any request was sent after it was due. */
  maxSendDelayMs: number;
}

/**
 * The sending loop, as plain JavaScript: the worker runs it without the
 * TypeScript loader. Request k is due at k / rate seconds whatever the others
 * do, and its latency counts from when it was due, or from when it was sent
 * if that was earlier (a wait under a millisecond is not slept).
 */
const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('undici');
const { urls, rate } = workerData;
const dispatcher = new Agent({ connections: 512 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
  const latencies = [];
  let non2xx = 0, errors = 0, maxSendDelayMs = 0;
  const inFlight = new Set();
  const started = performance.now();
  for (let k = 0; k < urls.length; k += 1) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const sent = performance.now();
    const from = Math.min(due, sent);
    maxSendDelayMs = Math.max(maxSendDelayMs, sent - due);
    const task = request(urls[k], { dispatcher })
      .then(async (response) => {
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) latencies.push(performance.now() - from);
        else non2xx += 1;
      })
      .catch(() => { errors += 1; })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  await dispatcher.close();
  parentPort.postMessage({ latencies, non2xx, errors, seconds: (performance.now() - started) / 1000, maxSendDelayMs });
})();
`;

/**
 * Open-loop GETs at a fixed rate, evenly spaced, so a server that falls behind
 * is charged for the wait too. (autocannon's rate limit sends each
 * connection's share of a second back to back at the start of the second: a
 * burst every second, not a rate.) The sender runs in a worker thread with a
 * heap of its own: the bench's main thread holds the generated history, and
 * its full collections would otherwise hold up the sending and count against
 * the server. `maxSendDelayMs` says how late the sender still was.
 */
export async function paced(options: {
  rate: number;
  seconds: number;
  /** The URL of request k. */
  url: (k: number) => string;
}): Promise<LoadResult & { maxSendDelayMs: number }> {
  const urls = Array.from({ length: Math.round(options.rate * options.seconds) }, (_, k) => options.url(k));
  const worker = new Worker(SENDER, { eval: true, workerData: { urls, rate: options.rate } });
  const report = await new Promise<PacedReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the load worker exited (${code}) before it reported`)));
  });
  await worker.terminate();
  const latencies = report.latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: Math.round(latencies.length / report.seconds),
    p50: Math.round(percentile(latencies, 50) * 10) / 10,
    p99: Math.round(percentile(latencies, 99) * 10) / 10,
    requests: latencies.length + report.non2xx + report.errors,
    non2xx: report.non2xx,
    errors: report.errors,
    maxSendDelayMs: Math.round(report.maxSendDelayMs),
  };
}

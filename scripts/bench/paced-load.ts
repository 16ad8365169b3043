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
 *
 * It speaks just enough HTTP/1.1 for GETs to one origin over kept-alive
 * connections: each request written whole, each answer read to the end of
 * the body its Content-Length announces (an answer without one is counted as
 * an error). On these two cores the client shares the machine with the
 * services it measures, and a general-purpose client (undici) spends more CPU
 * per request than the sending needs (docs/performance.md); what this saves
 * goes to the services.
 */
const SENDER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { host, port, paths, rate } = workerData;
const HEAD_TAIL = ' HTTP/1.1\\r\\nHost: ' + host + ':' + port + '\\r\\nAccept: application/json\\r\\n\\r\\n';
const idle = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A kept-alive connection answering one request at a time; done(status) gets
// the answer's status, or 0 when the connection failed or spoke otherwise.
function connect() {
  const socket = net.connect({ host, port, noDelay: true });
  let buffer = null, expected = -1, status = 0, closing = false, done = null;
  const finish = (result) => { const callback = done; done = null; buffer = null; expected = -1; if (callback) callback(result); };
  socket.on('data', (chunk) => {
    buffer = buffer === null ? chunk : Buffer.concat([buffer, chunk]);
    if (expected < 0) {
      const end = buffer.indexOf('\\r\\n\\r\\n');
      if (end < 0) return;
      const head = buffer.toString('latin1', 0, end);
      status = Number(head.slice(9, 12));
      closing = /\\r\\nconnection: *close/i.test(head);
      const length = /\\r\\ncontent-length: *(\\d+)/i.exec(head);
      if (!length && status !== 204 && status !== 304) return socket.destroy();
      expected = end + 4 + (length ? Number(length[1]) : 0);
    }
    if (buffer.length < expected) return;
    if (buffer.length > expected || done === null) return socket.destroy();
    // A connection the server closes after this answer takes no next request.
    if (!closing) idle.push(socket);
    finish(status);
    if (closing) socket.destroy();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    const at = idle.indexOf(socket);
    if (at >= 0) idle.splice(at, 1);
    finish(0);
  });
  socket.send = (path, callback) => {
    if (socket.destroyed) return queueMicrotask(() => callback(0));
    done = callback;
    socket.write('GET ' + path + HEAD_TAIL);
  };
  return socket;
}

(async () => {
  const latencies = [];
  let non2xx = 0, errors = 0, maxSendDelayMs = 0, answered = 0;
  let allAnswered = () => {};
  const started = performance.now();
  for (let k = 0; k < paths.length; k += 1) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const sent = performance.now();
    const from = Math.min(due, sent);
    maxSendDelayMs = Math.max(maxSendDelayMs, sent - due);
    (idle.pop() ?? connect()).send(paths[k], (status) => {
      if (status >= 200 && status < 300) latencies.push(performance.now() - from);
      else if (status === 0) errors += 1;
      else non2xx += 1;
      answered += 1;
      if (answered === paths.length) allAnswered();
    });
  }
  if (answered < paths.length) await new Promise((resolve) => { allAnswered = resolve; });
  for (const socket of idle.splice(0)) socket.destroy();
  parentPort.postMessage({ latencies, non2xx, errors, seconds: (performance.now() - started) / 1000, maxSendDelayMs });
})();
`;

/** A paced load's figures, with what pooling several loads needs. */
export interface PacedResult extends LoadResult {
  maxSendDelayMs: number;
  /** Each answered request's latency (ms), ascending. */
  latencies: number[];
  /** From the first request due to the last answer. */
  seconds: number;
}

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
}): Promise<PacedResult> {
  const urls = Array.from({ length: Math.round(options.rate * options.seconds) }, (_, k) => new URL(options.url(k)));
  const origin = urls[0]?.origin;
  if (urls.some((url) => url.origin !== origin || url.protocol !== 'http:')) {
    throw new Error('paced() sends plain HTTP to one origin');
  }
  const workerData = {
    host: urls[0]?.hostname,
    port: Number(urls[0]?.port || 80),
    paths: urls.map((url) => `${url.pathname}${url.search}`),
    rate: options.rate,
  };
  const worker = new Worker(SENDER, { eval: true, workerData });
  const report = await new Promise<PacedReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the load worker exited (${code}) before it reported`)));
  });
  await worker.terminate();
  return summarized({ ...report, latencies: report.latencies.sort((a, b) => a - b) });
}

/**
 * Several paced loads as one: their latencies pooled before the percentiles
 * are taken, so interleaved rounds give the figures one longer load would.
 */
export function pooled(results: readonly PacedResult[]): PacedResult {
  return summarized({
    latencies: results.flatMap((result) => result.latencies).sort((a, b) => a - b),
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    seconds: results.reduce((sum, result) => sum + result.seconds, 0),
    maxSendDelayMs: Math.max(0, ...results.map((result) => result.maxSendDelayMs)),
  });
}

function summarized(report: PacedReport): PacedResult {
  const { latencies } = report;
  return {
    requestsPerSecond: Math.round(latencies.length / Math.max(report.seconds, 1e-9)),
    p50: Math.round(percentile(latencies, 50) * 10) / 10,
    p99: Math.round(percentile(latencies, 99) * 10) / 10,
    requests: latencies.length + report.non2xx + report.errors,
    non2xx: report.non2xx,
    errors: report.errors,
    maxSendDelayMs: Math.round(report.maxSendDelayMs),
    latencies,
    seconds: report.seconds,
  };
}

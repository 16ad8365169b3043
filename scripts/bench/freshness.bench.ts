// Freshness: at a fixed command rate, the time from a command's 2xx to the
// query API showing that version (read with minVersion, which answers as
// soon as the read model has it).
import { randomUUID } from 'node:crypto';
import { ADDRESS, call, GATEWAY, percentile, sleep } from './support';

export interface FreshnessFigures {
  rate: number;
  /** Registrations counted (after the warm-up). */
  sent: number;
  /** Registrations sent in the warm-up: the same work, not counted in the latencies. */
  warmupSent: number;
  acknowledged: number;
  p50: number;
  p99: number;
  max: number;
  /** Reads that did not see the version within the 3 s minVersion wait. */
  stale: number;
  /** Commands or reads that got no answer at all (connection closed). */
  failed: number;
  orderIds: string[];
}

/**
 * `warmupSeconds` at the same rate come first and are not counted: the first
 * seconds of a burst from idle measure JIT, connection pools and the broker's
 * fetch sessions warming up, not the steady state the goal is about.
 */
export async function benchFreshness(options: {
  rate: number;
  seconds: number;
  warmupSeconds: number;
}): Promise<FreshnessFigures> {
  const tag = randomUUID().slice(0, 6);
  const product = `bench-fresh-${tag}`;
  await call('PUT', `${GATEWAY}/api/v1/inventory/${product}`, { quantity: 1_000_000_000 });
  const samples: number[] = [];
  const orderIds: string[] = [];
  let sent = 0;
  let stale = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const one = (index: number) =>
    attempt(index).catch(() => {
      if (counted(index)) failed += 1;
    });
  const counted = (index: number): boolean => index >= warmup;
  const attempt = async (index: number) => {
    const registered = await call('POST', `${GATEWAY}/api/v1/orders`, {
      customerId: `bench-fresh-${tag}-${index % 500}`,
      items: [{ productId: product, quantity: 1, price: '3.50' }],
      shippingAddress: ADDRESS,
    });
    if (registered.status !== 201) return;
    const acknowledged = performance.now();
    const orderId = String(registered.data.orderId);
    const path = `${GATEWAY}/api/v1/orders/${orderId}?minVersion=${String(registered.data.version)}`;
    // A read is safe to repeat when a kept-alive connection closed under it.
    const read = await call('GET', path).catch(() => call('GET', path));
    if (!counted(index)) return; // warm-up: the same work, not recorded
    orderIds.push(orderId);
    if (read.status === 200 && Number(read.data.version) >= Number(registered.data.version)) {
      samples.push(performance.now() - acknowledged);
    } else {
      stale += 1;
    }
  };
  const started = performance.now();
  const warmup = options.rate * options.warmupSeconds;
  const total = warmup + options.rate * options.seconds;
  // Open loop: each command starts on its own schedule, whatever the others do.
  while (sent < total) {
    const due = started + (sent * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const task = one(sent).finally(() => inFlight.delete(task));
    inFlight.add(task);
    sent += 1;
  }
  await Promise.all(inFlight);
  samples.sort((a, b) => a - b);
  return {
    rate: options.rate,
    sent: sent - warmup,
    warmupSent: warmup,
    acknowledged: samples.length + stale,
    p50: Math.round(percentile(samples, 50)),
    p99: Math.round(percentile(samples, 99)),
    max: Math.round(samples[samples.length - 1] ?? Number.NaN),
    stale,
    failed,
    orderIds,
  };
}

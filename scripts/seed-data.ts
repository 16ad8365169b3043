// Fills the running system through the gateway with the real API: products
// with stock, then orders from a pool of customers, then a realistic spread of
// lifecycles driven by the ids the API returned. Ends with a check that the
// read models show exactly what was done.
//
//   make seed-data                                  ~50 products, 1,000 orders
//   make seed-data ARGS="--orders 100000 --concurrency 32"
//
// Every call carries an Idempotency-Key derived from the run id, so running
// the same command again after a failure replays what was done and finishes
// the rest. `--run-id` starts a separate data set (its own product ids).
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { LIFECYCLES, type Lifecycle, planLifecycle, type Step } from './seed/lifecycle';
import { catalogue, customerPool, makeRandom, orderLines } from './seed/catalogue';
import { SeedClient } from './seed/seed-client';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000' },
    products: { type: 'string', default: '50' },
    customers: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    seed: { type: 'string', default: '42' },
    'run-id': { type: 'string' },
    gateway: { type: 'string', default: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000' },
    'no-progress': { type: 'boolean', default: false },
  },
});

function positive(name: string, value: string | undefined, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) {
    console.error(`--${name} must be a whole number from 1 to ${max} (got ${value})`);
    process.exit(2);
  }
  return number;
}

const ORDERS = positive('orders', values.orders, 1_000_000);
const PRODUCTS = positive('products', values.products, 10_000);
const CUSTOMERS = positive('customers', values.customers ?? String(Math.max(10, Math.ceil(ORDERS / 5))), 1_000_000);
const CONCURRENCY = positive('concurrency', values.concurrency, 256);
const SEED = positive('seed', values.seed, 2 ** 31);
const RUN_ID =
  values['run-id'] ??
  `seed-${createHash('sha256').update(`${ORDERS}/${PRODUCTS}/${CUSTOMERS}/${SEED}`).digest('hex').slice(0, 6)}`;
if (!/^[A-Za-z0-9._-]{1,24}$/.test(RUN_ID)) {
  console.error('--run-id must be 1-24 of A-Z a-z 0-9 . _ -');
  process.exit(2);
}

/** Runs tasks with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

interface SeededOrder {
  index: number;
  lifecycle: Lifecycle;
  steps: Step[];
  orderId?: string;
  version?: number;
  status?: string;
}

async function main(): Promise<void> {
  const started = Date.now();
  const random = makeRandom(SEED);
  const client = new SeedClient(values.gateway);
  await client.ensureReachable();

  const products = catalogue(random, PRODUCTS, RUN_ID);
  const customers = customerPool(random, CUSTOMERS, RUN_ID);
  const orders: (SeededOrder & { customer: (typeof customers)[number]; lines: ReturnType<typeof orderLines> })[] =
    Array.from({ length: ORDERS }, (_, index) => {
      const lines = orderLines(random, products);
      const lifecycle = planLifecycle(random);
      return { index, customer: customers[Math.floor(random() * customers.length)], lines, lifecycle, steps: [] };
    });
  for (const order of orders) order.steps = LIFECYCLES[order.lifecycle](order.lines, random);

  // Stock for every order with room to spare, so no registration is refused.
  const demand = new Map<string, number>();
  for (const order of orders) {
    for (const line of order.lines) demand.set(line.productId, (demand.get(line.productId) ?? 0) + line.quantity);
  }
  const stock = new Map(products.map((product) => [product.productId, (demand.get(product.productId) ?? 0) + 25]));

  const total = products.length + orders.length + orders.reduce((sum, order) => sum + order.steps.length, 0);
  console.log(
    `Seeding run ${RUN_ID} through ${values.gateway}: ${PRODUCTS} products, ${ORDERS} orders from ${CUSTOMERS} customers, ${total} calls, concurrency ${CONCURRENCY}`,
  );
  const bar = values['no-progress']
    ? null
    : new SingleBar({
        format: '  {phase} [{bar}] {percentage}% | {value}/{total} calls | {rate}/s | eta {eta_formatted}',
        hideCursor: true,
      });
  let done = 0;
  const tick = (phase: string) => {
    done += 1;
    bar?.update(done, { phase, rate: Math.round(done / ((Date.now() - started) / 1000)) });
  };
  bar?.start(total, 0, { phase: 'products', rate: 0 });

  await pool(products, CONCURRENCY, async (product) => {
    await client.call('PUT', `/api/v1/inventory/${product.productId}`, `${RUN_ID}:stock:${product.productId}`, {
      quantity: stock.get(product.productId),
      name: product.name,
    });
    tick('products');
  });

  await pool(orders, CONCURRENCY, async (order) => {
    const registered = await client.call('POST', '/api/v1/orders', `${RUN_ID}:order:${order.index}`, {
      customerId: order.customer.customerId,
      items: order.lines.map((line) => ({ productId: line.productId, quantity: line.quantity, price: line.price })),
      shippingAddress: order.customer.address,
      currency: 'EUR',
    });
    order.orderId = String(registered.orderId);
    order.version = Number(registered.version);
    order.status = String(registered.status);
    tick('orders');
    for (const [number, step] of order.steps.entries()) {
      const answer = await client.call(
        step.method,
        `/api/v1/orders/${order.orderId}${step.path}`,
        `${RUN_ID}:order:${order.index}:${number}`,
        step.body,
      );
      order.version = Number(answer.version);
      order.status = String(answer.status);
      tick('lifecycles');
    }
  });
  bar?.stop();
  const seconds = (Date.now() - started) / 1000;

  const byStatus = new Map<string, number>();
  for (const order of orders) byStatus.set(order.status!, (byStatus.get(order.status!) ?? 0) + 1);
  console.log(
    `\nDone in ${seconds.toFixed(1)} s: ${client.calls} calls (${Math.round(client.calls / seconds)}/s), ${client.retries} retried, ${client.replayed} replayed from an earlier run.`,
  );
  console.log('Orders by status:');
  for (const [status, count] of [...byStatus].sort()) console.log(`  ${status.padEnd(20)} ${count}`);

  // The read models must show exactly that: every order at its version and
  // status, every product's stock, every customer's order count.
  await client.waitForProjections((lag) =>
    console.log(`  waiting for the read models to catch up: ${lag} events behind`),
  );
  console.log('\nChecking the read models (query API) ...');
  const seen = new Map<string, number>();
  const mismatches: string[] = [];
  await pool(orders, CONCURRENCY, async (order) => {
    const summary = await client.readEventually(`/api/v1/orders/${order.orderId}?minVersion=${order.version}`);
    seen.set(String(summary.status), (seen.get(String(summary.status)) ?? 0) + 1);
    if (summary.status !== order.status || summary.version !== order.version) {
      mismatches.push(
        `order ${order.orderId}: ${String(summary.status)} v${String(summary.version)}, expected ${order.status} v${order.version}`,
      );
    }
  });
  const shipped = new Map<string, number>();
  const held = new Map<string, number>();
  for (const order of orders) {
    for (const line of order.lines) {
      const out = order.lifecycle === 'cancelled' ? 0 : (LIFECYCLE_SHIPPED(order, line.productId) ?? 0);
      shipped.set(line.productId, (shipped.get(line.productId) ?? 0) + out);
      const holding = order.lifecycle === 'cancelled' ? 0 : line.quantity - out;
      held.set(line.productId, (held.get(line.productId) ?? 0) + holding);
    }
  }
  await pool(products, CONCURRENCY, async (product) => {
    const expectedOnHand = stock.get(product.productId)! - (shipped.get(product.productId) ?? 0);
    const expectedAllocated = held.get(product.productId) ?? 0;
    const deadline = Date.now() + 30000;
    for (;;) {
      const status = await client.read(`/api/v1/inventory/${product.productId}`);
      if (status.onHand === expectedOnHand && status.allocated === expectedAllocated) return;
      if (Date.now() > deadline) {
        mismatches.push(
          `product ${product.productId}: onHand ${String(status.onHand)} allocated ${String(status.allocated)}, expected ${expectedOnHand} / ${expectedAllocated}`,
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  const perCustomer = new Map<string, number>();
  for (const order of orders)
    perCustomer.set(order.customer.customerId, (perCustomer.get(order.customer.customerId) ?? 0) + 1);
  await pool([...perCustomer], CONCURRENCY, async ([customerId, count]) => {
    const deadline = Date.now() + 30000;
    for (;;) {
      const history = await client.read(`/api/v1/customers/${customerId}/orders?limit=1`);
      if (history.orderCount === count) return;
      if (Date.now() > deadline) {
        mismatches.push(`customer ${customerId}: ${String(history.orderCount)} orders, expected ${count}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  console.log('Read models by status:');
  for (const [status, count] of [...seen].sort()) {
    const ok = byStatus.get(status) === count;
    console.log(
      `  ${status.padEnd(20)} ${String(count).padStart(7)}  ${ok ? 'ok' : `expected ${byStatus.get(status) ?? 0}`}`,
    );
  }
  console.log(`Products checked: ${products.length}; customers checked: ${perCustomer.size}.`);
  if (mismatches.length > 0) {
    console.error(`\n${mismatches.length} mismatches, the first ones:\n  ${mismatches.slice(0, 10).join('\n  ')}`);
    process.exit(1);
  }
  console.log('\nThe read models match what was done.');
}

/** Units of a product this order shipped, from its plan. */
function LIFECYCLE_SHIPPED(order: SeededOrder, productId: string): number {
  return order.steps.reduce((sum, step) => sum + (step.shipped?.get(productId) ?? 0), 0);
}

main().catch((error: unknown) => {
  console.error(`\nseed-data failed: ${(error as Error).message}`);
  console.error('Run the same command again: every call has an Idempotency-Key, so what was done is not repeated.');
  process.exit(1);
});

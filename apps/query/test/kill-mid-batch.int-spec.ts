import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../test/support/net';
import { uniqueName } from '../../../test/support/kafka-test-helpers';
import { type Harness, isolatedTopics, startCommandApp } from '../../command/test/command-app.harness';
import { ADDRESS as address } from '../../../test/support/fixtures';

const MAIN = join(__dirname, '../../../dist/apps/query/apps/query/src/main.js');

describe('query app killed with SIGKILL in the middle of its batches', () => {
  const topics = isolatedTopics();
  const database = uniqueName('it_kill').replace(/-/g, '_');
  let command: Harness;
  let child: ChildProcess | null = null;
  let port = 0;

  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => null);
    return response
      ? { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> } }
      : null;
  };
  const start = () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run build, or make test)`);
    child = spawn('node', [MAIN], {
      stdio: 'ignore',
      env: {
        ...process.env,
        QUERY_PORT: String(port),
        ORDER_EVENTS_TOPIC: topics.orders,
        INVENTORY_EVENTS_TOPIC: topics.inventory,
        MONGO_DB: database,
        KAFKA_CONSUMER_GROUP: `${database}-group`,
      },
    });
  };

  beforeAll(async () => {
    port = await freePort();
    command = await startCommandApp(topics);
    await command.request('PUT', '/api/v1/inventory/km-a', { quantity: 100000 });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await command?.close();
  });

  it('counts every order exactly once after a restart', async () => {
    const total = 300;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, () =>
          command.request('POST', '/api/v1/orders', {
            customerId: 'km-c1',
            items: [{ productId: 'km-a', quantity: 1, price: '1.00' }],
            shippingAddress: address,
          }),
        ),
      );
    }
    start();
    // Kill it as soon as it has applied part of the backlog.
    for (;;) {
      const reply = await get('/api/v1/customers/km-c1/orders');
      if (reply?.status === 200 && (reply.body.data?.orderCount as number) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child?.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));

    start();
    const deadline = Date.now() + 60000;
    let history: { data?: Record<string, unknown> } | undefined;
    for (;;) {
      const reply = await get('/api/v1/customers/km-c1/orders?limit=1');
      history = reply?.body;
      if (reply?.status === 200 && history?.data?.orderCount === total) break;
      if (Date.now() > deadline) throw new Error(`did not catch up: ${JSON.stringify(history)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(history?.data).toMatchObject({ orderCount: total, totalSpent: { EUR: `${total}.00` } });
    // Every order listed once, whatever the kill interrupted.
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const reply = await get(`/api/v1/customers/km-c1/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      listed.push(...((reply?.body.data?.orders ?? []) as { orderId: string }[]).map((order) => order.orderId));
      cursor = (reply?.body as { nextCursor?: string | null } | undefined)?.nextCursor ?? null;
    } while (cursor);
    expect(new Set(listed).size).toBe(total);
    expect(listed).toHaveLength(total);
    const stock = await get('/api/v1/inventory/km-a');
    expect(stock?.body.data).toMatchObject({ allocated: total, version: total + 1 });
  });
});

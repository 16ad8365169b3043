import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../test/support/net';
import { ADDRESS as address } from '../../../test/support/fixtures';
import { ADMIN_TOKEN, isolatedTopics, readCommitted, stateDirOf } from './command-app.harness';

const MAIN = join(__dirname, '../../../dist/apps/command/apps/command/src/main.js');

/**
 * The command app killed with SIGKILL while a snapshot round is being
 * written, then started without its state store: it restores from the
 * snapshots that completed and replays the events after them. Nothing
 * acknowledged is lost, and versions go on where they were.
 */
describe('command app killed with SIGKILL during a snapshot round', () => {
  const topics = isolatedTopics();
  let child: ChildProcess | null = null;
  let port = 0;
  let output = '';

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> } };
  };

  const start = async (): Promise<void> => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run build, or make test)`);
    output = '';
    child = spawn('node', [MAIN], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        ...process.env,
        COMMAND_PORT: String(port),
        ORDER_EVENTS_TOPIC: topics.orders,
        INVENTORY_EVENTS_TOPIC: topics.inventory,
        KAFKA_TRANSACTIONAL_ID: topics.transactionalId,
        KAFKA_TOPIC_PARTITIONS: '3',
        ADMIN_TOKEN,
        STATE_DIR: stateDirOf(topics),
        SNAPSHOT_INTERVAL: '1s',
        LOG_LEVEL: 'info',
      },
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 60000;
    const ready = () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error('the command app did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  /** True once a round completed and a later one, with many entries, has begun writing. */
  const largeRoundBegun = () => {
    const written = output.indexOf('entries written');
    return written >= 0 && /snapshot round: writing [0-9]{3,} entries/.test(output.slice(written));
  };

  beforeAll(async () => {
    port = await freePort();
    await start();
  });
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('keeps every acknowledged command when restored from the snapshots', async () => {
    expect((await call('PUT', '/api/v1/inventory/snapkill-a', { quantity: 1_000_000 })).status).toBe(200);
    const acknowledged: string[] = [];
    let stop = false;
    const register = async () => {
      while (!stop) {
        const reply = await call('POST', '/api/v1/orders', {
          customerId: 'snapkill-c',
          items: [{ productId: 'snapkill-a', quantity: 1, price: '1.00' }],
          shippingAddress: address,
        }).catch(() => null); // the connection died with the process: not acknowledged
        if (reply?.status === 201) acknowledged.push(String(reply.body.data?.orderId));
      }
    };
    const clients = Array.from({ length: 16 }, register);
    const deadline = Date.now() + 60000;
    while (!largeRoundBegun()) {
      if (Date.now() > deadline) throw new Error('no large snapshot round began after a complete one');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child?.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThan(50);

    rmSync(stateDirOf(topics), { recursive: true, force: true });
    await start();
    expect(output).toMatch(/restored the state store from/);
    for (const orderId of acknowledged) {
      const order = await call('GET', `/api/v1/admin/aggregates/orders/${orderId}`);
      expect(order.status).toBe(200);
    }
    const product = await call('GET', '/api/v1/admin/aggregates/inventory/snapkill-a');
    const events = (await readCommitted(topics)).filter((m) => m.envelope.aggregateId === 'snapkill-a');
    expect(events.map((m) => m.envelope.aggregateVersion)).toEqual(events.map((_, index) => index + 1));
    expect(product.body.data).toMatchObject({ version: events.length, state: { allocated: events.length - 1 } });
    const next = await call('POST', '/api/v1/inventory/snapkill-a/adjustments', { delta: 1, reason: 'after' });
    expect(next.body.data).toMatchObject({ version: events.length + 1 });
  });
});

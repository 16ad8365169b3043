import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../test/support/net';
import { ADMIN_TOKEN, isolatedTopics, readCommitted, stateDirOf } from './command-app.harness';

const MAIN = join(__dirname, '../../../dist/apps/command/apps/command/src/main.js');

describe('command app killed with SIGKILL', () => {
  const topics = isolatedTopics();
  let child: ChildProcess | null = null;
  let port = 0;

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
    child = spawn('node', [MAIN], {
      stdio: 'ignore',
      env: {
        ...process.env,
        COMMAND_PORT: String(port),
        ORDER_EVENTS_TOPIC: topics.orders,
        INVENTORY_EVENTS_TOPIC: topics.inventory,
        KAFKA_TRANSACTIONAL_ID: topics.transactionalId,
        KAFKA_TOPIC_PARTITIONS: '3',
        ADMIN_TOKEN,
        STATE_DIR: stateDirOf(topics),
      },
    });
    const deadline = Date.now() + 60000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      if (Date.now() > deadline) throw new Error('the command app did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    port = await freePort();
    await start();
  });
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('keeps every acknowledged command, and continues the versions after restart', async () => {
    expect((await call('PUT', '/api/v1/inventory/kill-a', { quantity: 100 })).status).toBe(200);
    const acknowledged: number[] = [];
    const inFlight = Array.from({ length: 200 }, (_, i) =>
      call('POST', '/api/v1/inventory/kill-a/adjustments', { delta: 1, reason: `restock ${i}` }).then(
        (reply) => {
          if (reply.status === 200) acknowledged.push(reply.body.data?.version as number);
        },
        () => undefined, // the connection died with the process: not acknowledged
      ),
    );
    while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 1));
    child?.kill('SIGKILL');
    await Promise.all(inFlight);
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    await start();
    const product = await call('GET', '/api/v1/admin/aggregates/inventory/kill-a');
    const version = product.body.data?.version as number;
    expect(version).toBeGreaterThanOrEqual(Math.max(...acknowledged));
    expect(product.body.data).toMatchObject({ state: { onHand: 100 + version - 1 } });

    const events = (await readCommitted(topics)).filter((m) => m.envelope.aggregateId === 'kill-a');
    expect(events.map((m) => m.envelope.aggregateVersion)).toEqual(events.map((_, index) => index + 1));
    expect(events).toHaveLength(version);

    const next = await call('POST', '/api/v1/inventory/kill-a/adjustments', { delta: 1, reason: 'after restart' });
    expect(next.status).toBe(200);
    expect(next.body.data).toMatchObject({ version: version + 1 });
  });
});

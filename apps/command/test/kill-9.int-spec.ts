import { isolatedTopics, readCommitted } from './command-app.harness';
import { SpawnedCommandApp } from './spawned-command-app';
describe('command app killed with SIGKILL', () => {
  const topics = isolatedTopics();
  const app = new SpawnedCommandApp(topics);
  const call = app.call.bind(app);

  beforeAll(() => app.start());
  afterAll(() => app.kill());

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
    app.kill();
    await Promise.all(inFlight);
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    await app.start();
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

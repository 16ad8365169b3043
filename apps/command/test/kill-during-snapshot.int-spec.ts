import { rmSync } from 'node:fs';
import { ADDRESS as address } from '../../../test/support/fixtures';
import { isolatedTopics, readCommitted, stateDirOf } from './command-app.harness';
import { SpawnedCommandApp } from './spawned-command-app';
/**
 * The command app killed with SIGKILL while a snapshot round is being
 * written, then started without its state store: it restores from the
 * snapshots that completed and replays the events after them. Nothing
 * acknowledged is lost, and versions go on where they were.
 */
describe('command app killed with SIGKILL during a snapshot round', () => {
  const topics = isolatedTopics();
  const app = new SpawnedCommandApp(topics, { SNAPSHOT_INTERVAL: '1s', LOG_LEVEL: 'info' });
  const call = app.call.bind(app);

  /** True once a round completed and a later one has begun writing. */
  const largeRoundBegun = () => {
    const written = app.output.indexOf('entries written');
    return written >= 0 && app.output.includes('snapshot round: writing', written);
  };

  beforeAll(() => app.start());
  afterAll(() => app.kill());

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
      if (Date.now() > deadline) throw new Error('no snapshot round began after a complete one');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    app.kill();
    stop = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThan(50);

    rmSync(stateDirOf(topics), { recursive: true, force: true });
    await app.start();
    expect(app.output).toMatch(/restored the state store from/);
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

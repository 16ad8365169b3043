import { rmSync } from 'node:fs';
import type { Admin } from 'kafkajs';
import { ADDRESS as address } from '../../../test/support/fixtures';
import { testKafka } from '../../../test/support/kafka-test-helpers';
import { roundUnfinished, untilRoundMidWay } from '../../../test/support/snapshot-rounds';
import { isolatedTopics, readCommitted, stateDirOf } from './command-app.harness';
import { SpawnedCommandApp } from './spawned-command-app';
/**
 * The command app killed with SIGKILL while a snapshot round is being
 * written (its transaction open in Kafka, with records sent), then started
 * without its state store: it settles the round cut short, restores from the
 * snapshots that completed and replays the events after them. Nothing
 * acknowledged is lost, and versions go on where they were.
 */
describe('command app killed with SIGKILL during a snapshot round', () => {
  const topics = isolatedTopics();
  // Rounds of a few seconds' registrations: long enough to be caught mid-way.
  const app = new SpawnedCommandApp(topics, { SNAPSHOT_INTERVAL: '3s', LOG_LEVEL: 'info' });
  const call = app.call.bind(app);
  const snapshotTopic = `${topics.transactionalId}-state`;
  let admin: Admin;

  beforeAll(async () => {
    admin = testKafka('it-snapkill').admin();
    await admin.connect();
    await app.start();
  });
  afterAll(async () => {
    app.kill();
    await admin?.disconnect();
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
    const clients = Array.from({ length: 8 }, register);
    try {
      await untilRoundMidWay({ log: () => app.output, admin, snapshotTopic, timeoutMs: 60000 });
      app.kill();
    } finally {
      stop = true;
    }
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThan(50);
    // The round was cut short: its records wait in a transaction left open.
    expect(roundUnfinished(app.output)).toBe(true);

    rmSync(stateDirOf(topics), { recursive: true, force: true });
    await app.start();
    expect(app.output).toMatch(/restored the state store from/);
    // Every acknowledged order is in the restored state: delivering a
    // registered one is refused for its status (and changes nothing), where a
    // lost one would be 404. A few at a time, as there are thousands.
    const answers = new Map<string, number>();
    for (let i = 0; i < acknowledged.length; i += 16) {
      await Promise.all(
        acknowledged.slice(i, i + 16).map(async (orderId) => {
          const reply = await call('POST', `/api/v1/orders/${orderId}/deliveries`, {});
          const answer = `${reply.status} ${String(reply.body.code)}`;
          answers.set(answer, (answers.get(answer) ?? 0) + 1);
        }),
      );
    }
    expect(Object.fromEntries(answers)).toEqual({ '422 INVALID_STATUS_TRANSITION': acknowledged.length });
    const product = await call('GET', '/api/v1/admin/aggregates/inventory/snapkill-a');
    const events = (await readCommitted(topics)).filter((m) => m.envelope.aggregateId === 'snapkill-a');
    expect(events.map((m) => m.envelope.aggregateVersion)).toEqual(events.map((_, index) => index + 1));
    expect(product.body.data).toMatchObject({ version: events.length, state: { allocated: events.length - 1 } });
    const next = await call('POST', '/api/v1/inventory/snapkill-a/adjustments', { delta: 1, reason: 'after' });
    expect(next.body.data).toMatchObject({ version: events.length + 1 });
  }, 180000); // up to a minute for the rounds, then a restart and the checks
});

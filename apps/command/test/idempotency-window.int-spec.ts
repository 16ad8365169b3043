import { type Harness, isolatedTopics, startCommandApp } from './command-app.harness';
import { ADDRESS as address } from '../../../test/support/fixtures';

const TTL_MS = 5000;

/** Idempotency keys are kept IDEMPOTENCY_TTL, across restarts, and forgotten after it. */
describe('the idempotency window, against a real Kafka broker', () => {
  const topics = isolatedTopics();
  let harness: Harness;
  const register = (quantity: number) =>
    harness.request(
      'POST',
      '/api/v1/orders',
      { customerId: 'idem-c', items: [{ productId: 'idem-a', quantity, price: '1.00' }], shippingAddress: address },
      { 'idempotency-key': 'idem-key' },
    );

  beforeAll(async () => {
    harness = await startCommandApp(topics, { IDEMPOTENCY_TTL: `${TTL_MS}ms` });
    await harness.request('PUT', '/api/v1/inventory/idem-a', { quantity: 100 });
  });
  afterAll(async () => {
    await harness.close();
    delete process.env.IDEMPOTENCY_TTL;
  });

  it('replays within the window, after a restart too, and runs anew after it', async () => {
    const started = Date.now();
    const first = await register(1);
    expect(first.status).toBe(201);
    // The key's age counts from when its events were written, at the latest now.
    const written = Date.now();

    await harness.close();
    harness = await startCommandApp(topics, { IDEMPOTENCY_TTL: `${TTL_MS}ms` });
    expect(Date.now() - started).toBeLessThan(TTL_MS); // else the window, not the restart, is tested
    const retry = await register(1);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await register(2)).body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    await new Promise((resolve) => setTimeout(resolve, TTL_MS - (Date.now() - written) + 100));
    const anew = await register(2);
    expect(anew.status).toBe(201);
    expect(anew.headers['idempotent-replayed']).toBeUndefined();
    expect(anew.body.data?.orderId).not.toBe(first.body.data?.orderId);
  });
});

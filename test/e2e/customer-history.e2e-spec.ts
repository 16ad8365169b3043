import { randomUUID } from 'node:crypto';
import { ADDRESS } from '../support/fixtures';
import { call, eventually } from '../support/gateway-client';

describe('a customer with many orders, through the gateway', () => {
  const customer = `e2e-many-${randomUUID().slice(0, 8)}`;
  const product = `e2e-many-${randomUUID().slice(0, 8)}`;
  const total = 130;
  const registered: string[] = [];
  const cancelled = new Set<string>();

  beforeAll(async () => {
    expect((await call('PUT', `/api/v1/inventory/${product}`, { quantity: 10_000 })).status).toBe(200);
    for (let i = 0; i < total; i += 26) {
      const replies = await Promise.all(
        Array.from({ length: 26 }, () =>
          call('POST', '/api/v1/orders', {
            customerId: customer,
            items: [{ productId: product, quantity: 1, price: '2.50' }],
            shippingAddress: ADDRESS,
          }),
        ),
      );
      for (const reply of replies) {
        expect(reply.status).toBe(201);
        registered.push(reply.body.data?.orderId as string);
      }
    }
    for (const orderId of registered.slice(0, 10)) {
      expect((await call('DELETE', `/api/v1/orders/${orderId}`)).status).toBe(200);
      cancelled.add(orderId);
    }
  }, 60_000);

  it('keeps its count and totals as events arrive, cancelled orders excluded', async () => {
    const body = await eventually(
      `/api/v1/customers/${customer}/orders?limit=1`,
      (reply) => reply.data?.orderCount === total && (reply.data.totalSpent as Record<string, string>).EUR === '300.00',
      30_000,
    );
    expect(body.data).toMatchObject({ customerId: customer, orderCount: total, totalSpent: { EUR: '300.00' } });
  });

  it('pages through every order with cursors, each exactly once, newest first', async () => {
    const seen: { orderId: string; status: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=17&cursor=${cursor}` : '?limit=17';
      const reply = await call('GET', `/api/v1/customers/${customer}/orders${query}`);
      expect(reply.status).toBe(200);
      const orders = reply.body.data?.orders as { orderId: string; status: string; createdAt: string }[];
      expect(orders.length).toBeLessThanOrEqual(17);
      seen.push(...orders);
      cursor = reply.body.nextCursor as string | null;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(total / 17));
    expect(seen.map((order) => order.orderId).sort()).toEqual([...registered].sort());
    expect(
      seen
        .filter((order) => order.status === 'CANCELLED')
        .map((order) => order.orderId)
        .sort(),
    ).toEqual([...cancelled].sort());
    // Newest first: the last registration batch before the first one.
    const position = new Map(seen.map((order, index) => [order.orderId, index]));
    expect(position.get(registered[total - 1])!).toBeLessThan(position.get(registered[0])!);
  });

  it('refuses a cursor it never gave out with 400 problem+json', async () => {
    const reply = await call(
      'GET',
      `/api/v1/customers/${customer}/orders?cursor=${Buffer.from('["9999"]').toString('base64url')}`,
    );
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

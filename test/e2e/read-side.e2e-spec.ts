import { randomUUID } from 'node:crypto';
import { ADDRESS } from '../support/fixtures';

const gateway = (): string => process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> & { data?: Record<string, unknown> } }> {
  const response = await fetch(`${gateway()}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { data?: Record<string, unknown> },
  };
}

describe('the read side through the gateway', () => {
  it('serves an order registered through the gateway, read-your-writes with minVersion', async () => {
    const product = `e2e-read-${randomUUID().slice(0, 8)}`;
    await call('PUT', `/api/v1/inventory/${product}`, { quantity: 5 });
    const registered = await call('POST', '/api/v1/orders', {
      customerId: 'e2e-reader',
      items: [{ productId: product, quantity: 2, price: '1.25' }],
      shippingAddress: ADDRESS,
    });
    expect(registered.status).toBe(201);
    const orderId = registered.body.data?.orderId as string;
    const read = await call('GET', `/api/v1/orders/${orderId}?minVersion=1`);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ orderId, status: 'REGISTERED', totalCost: '2.50', version: 1 });
  });

  it('serves the query OpenAPI document with every query of the contract', async () => {
    const reply = await call('GET', '/api-docs/query.json');
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body.paths as Record<string, unknown>)).toEqual(
      expect.arrayContaining([
        '/api/v1/orders',
        '/api/v1/orders/{orderId}',
        '/api/v1/inventory',
        '/api/v1/inventory/{productId}',
        '/api/v1/fulfillment/queue',
        '/api/v1/customers/{customerId}/orders',
        '/api/v1/admin/projections',
        '/api/v1/admin/projections/rebuild',
      ]),
    );
  });
});

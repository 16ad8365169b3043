import { randomUUID } from 'node:crypto';
import { ADDRESS } from '../support/fixtures';

const gateway = (): string => process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';
const admin = (): Record<string, string> => ({
  authorization: `Bearer ${process.env.ADMIN_TOKEN ?? 'dev-admin-token'}`,
});

/** Loosely typed on purpose: the tests check the shapes. */
interface Body {
  data?: Record<string, unknown> & {
    orderId?: string;
    events?: Record<string, unknown>[];
    state?: unknown;
    paths?: unknown;
  };
  [key: string]: unknown;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway()}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Body,
  };
}

describe('commands through the gateway', () => {
  const run = randomUUID().slice(0, 8);
  const product = `e2e-${run}`;

  it('registers an order against stocked inventory and keeps the correlation id in its events', async () => {
    expect((await call('PUT', `/api/v1/inventory/${product}`, { quantity: 10, name: 'E2E widget' })).status).toBe(200);
    const correlationId = `e2e-corr-${run}`;
    const registered = await call(
      'POST',
      '/api/v1/orders',
      {
        customerId: `cust-${run}`,
        items: [{ productId: product, quantity: 3, price: 4.5 }],
        shippingAddress: ADDRESS,
      },
      { 'x-correlation-id': correlationId },
    );
    expect(registered.status).toBe(201);
    expect(registered.headers.get('x-correlation-id')).toBe(correlationId);
    expect(registered.body).toMatchObject({
      success: true,
      data: { status: 'REGISTERED', totalCost: '13.50', version: 1 },
    });

    const orderId = registered.body.data?.orderId as string;
    const events = await call('GET', `/api/v1/admin/events/${orderId}`, undefined, admin());
    expect(events.status).toBe(200);
    expect(events.body.data?.events?.[0]).toMatchObject({ eventType: 'OrderCreated', correlationId });

    const stock = await call('GET', `/api/v1/admin/aggregates/inventory/${product}`, undefined, admin());
    expect(stock.body.data?.state).toMatchObject({ onHand: 10, allocated: 3 });
  });

  it('mints a correlation id when the client sends none', async () => {
    const reply = await call('PUT', `/api/v1/inventory/${product}-2`, { quantity: 1 });
    expect(reply.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{16,}$/);
  });

  it('keeps admin endpoints closed without the token', async () => {
    const reply = await call('GET', `/api/v1/admin/events/${product}`);
    expect(reply.status).toBe(401);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers bodies over 1 MiB with a problem+json 413 from the gateway', async () => {
    const reply = await call('POST', '/api/v1/orders', JSON.stringify({ customerId: 'x'.repeat(1024 * 1024 + 1) }));
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', success: false });
  });

  it('serves the command OpenAPI document with every command of the contract', async () => {
    const reply = await call('GET', '/api-docs/command.json');
    expect(reply.status).toBe(200);
    const operations = Object.entries(reply.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /api/v1/orders',
        'PUT /api/v1/orders/{orderId}/status',
        'POST /api/v1/orders/{orderId}/shipments',
        'POST /api/v1/orders/{orderId}/deliveries',
        'DELETE /api/v1/orders/{orderId}',
        'POST /api/v1/orders/{orderId}/cancel',
        'PUT /api/v1/inventory/{productId}',
        'POST /api/v1/inventory/{productId}/adjustments',
        'POST /api/v1/inventory/{productId}/discontinue',
        'POST /api/v1/inventory/{productId}/allocate',
        'POST /api/v1/inventory/{productId}/return',
        'GET /api/v1/admin/events/{aggregateId}',
        'GET /api/v1/admin/aggregates/{kind}/{id}',
      ]),
    );
  });
});

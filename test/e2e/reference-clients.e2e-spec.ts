import { randomUUID } from 'node:crypto';
import { allowHeader, API_ROUTES } from '@of/contracts';
import { ADDRESS } from '../../scripts/bench/support';
import { adminHeaders, call, eventually, rawCall } from '../support/gateway-client';

// Clients written for the reference system work unchanged, and HTTP answers
// what a client expects (CONTRACT.md §2, §3, §6, §8).
describe('clients of the reference system, through the gateway', () => {
  const run = randomUUID().slice(0, 8);
  const product = `ref-${run}`;
  const order = (items: { price: unknown }[], extra: Record<string, unknown> = {}) => ({
    customerId: `ref-customer-${run}`,
    items: items.map((item, index) => ({
      productId: index === 0 ? product : `${product}-${index}`,
      quantity: 1,
      ...item,
    })),
    shippingAddress: ADDRESS,
    ...extra,
  });

  beforeAll(async () => {
    for (const id of [product, `${product}-1`]) {
      expect((await call('PUT', `/api/v1/inventory/${id}`, { quantity: 1000 })).status).toBe(200);
    }
  });

  describe('money summed in binary floating point', () => {
    it.each([
      {
        name: 'a string total with a floating-point tail',
        prices: ['7214.06'],
        total: '7214.0599999999995',
        expected: '7214.06',
      },
      { name: 'a number total of 0.1 + 0.2', prices: [0.1, 0.2], total: 0.1 + 0.2, expected: '0.30' },
      {
        name: 'a string price with a floating-point tail',
        prices: ['0.30000000000000004'],
        total: undefined,
        expected: '0.30',
      },
    ])('takes $name as the amount it is meant to be', async ({ prices, total, expected }) => {
      const body = order(
        prices.map((price) => ({ price })),
        total === undefined ? {} : { totalCost: total },
      );
      const reply = await call('POST', '/api/v1/orders', body);
      expect(reply.status).toBe(201);
      expect(reply.body.data).toMatchObject({ totalCost: expected });
    });

    it('still refuses a finer amount that is no artefact (400) and a total that really differs (422)', async () => {
      const finer = await call('POST', '/api/v1/orders', order([{ price: 0.305 }]));
      expect(finer.status).toBe(400);
      expect(finer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'items[0].price' }] });
      const differs = await call('POST', '/api/v1/orders', order([{ price: '0.30' }], { totalCost: 0.1 + 0.2 + 0.01 }));
      expect(differs.status).toBe(422);
      expect(differs.body).toMatchObject({ code: 'TOTAL_MISMATCH' });
    });
  });

  describe('ids this server never gave out', () => {
    it.each([
      { method: 'DELETE', path: '/api/v1/orders/order-012', body: undefined },
      { method: 'PUT', path: '/api/v1/orders/order-012/status', body: { status: 'SHIPPED' } },
      { method: 'POST', path: '/api/v1/orders/order-012/shipments', body: {} },
      { method: 'POST', path: '/api/v1/orders/order-012/deliveries', body: {} },
      { method: 'POST', path: '/api/v1/orders/order-012/cancel', body: {} },
      { method: 'GET', path: '/api/v1/orders/order-012', body: undefined },
    ])('$method $path is 404 ORDER_NOT_FOUND', async ({ method, path, body }) => {
      const reply = await call(method, path, body);
      expect(reply.status).toBe(404);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
      expect(reply.body).toMatchObject({ code: 'ORDER_NOT_FOUND', success: false });
    });

    it('answers 400 only for a path segment that can never be an id', async () => {
      for (const [method, path] of [
        ['DELETE', '/api/v1/orders/-order-012'],
        ['GET', '/api/v1/orders/order%20012'],
      ]) {
        const reply = await call(method, path);
        expect({ path, status: reply.status, code: reply.body.code }).toEqual({
          path,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    });
  });

  describe('methods a path does not take', () => {
    it('answers PATCH on an order with 405 problem+json and every method the path takes', async () => {
      const reply = await call('PATCH', '/api/v1/orders/order-012', { status: 'SHIPPED' });
      expect(reply.status).toBe(405);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
      expect(reply.headers.get('allow')).toBe('GET, HEAD, DELETE, OPTIONS');
      expect(reply.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', success: false });
    });

    it('answers a wrong method on every path of both apps with 405 and its Allow header', async () => {
      for (const route of API_ROUTES) {
        const path = route.path.replace(/\{[^}]+\}/g, 'some-id');
        const method = route.methods.includes('PUT') ? 'PATCH' : 'PUT';
        const reply = await call(method, path, {});
        expect({ path, status: reply.status, allow: reply.headers.get('allow') }).toEqual({
          path,
          status: 405,
          allow: allowHeader(route),
        });
      }
    });

    it('answers TRACE, which nginx refuses itself, with 405 problem+json and Allow', async () => {
      const reply = await rawCall('TRACE', '/api/v1/orders/order-012');
      expect(reply.status).toBe(405);
      expect(reply.headers['content-type']).toContain('application/problem+json');
      expect(reply.headers.allow).toBe('GET, HEAD, DELETE, OPTIONS');
      expect(JSON.parse(reply.text)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', success: false });
    });

    it('answers OPTIONS with 204 and Allow', async () => {
      const reply = await call('OPTIONS', '/api/v1/inventory/some-id');
      expect(reply.status).toBe(204);
      expect(reply.headers.get('allow')).toBe('GET, HEAD, PUT, OPTIONS');
    });

    it('keeps the route table equal to the operations of the two OpenAPI documents', async () => {
      const documented = new Map<string, Set<string>>();
      for (const api of ['command', 'query']) {
        const paths = (await call('GET', `/api-docs/${api}.json`)).body.paths as Record<string, object>;
        for (const [path, methods] of Object.entries(paths)) {
          const set = documented.get(path) ?? new Set<string>();
          for (const method of Object.keys(methods)) set.add(method.toUpperCase());
          documented.set(path, set);
        }
      }
      const asTable = [...documented]
        .filter(([path]) => path.startsWith('/api/'))
        .map(([path, methods]) => ({ path, methods: [...methods].sort() }))
        .sort((a, b) => a.path.localeCompare(b.path));
      const table = API_ROUTES.map((route) => ({ path: route.path, methods: [...route.methods].sort() })).sort((a, b) =>
        a.path.localeCompare(b.path),
      );
      expect(table).toEqual(asTable);
    });
  });

  describe('manual allocation', () => {
    it('answers 404 ORDER_NOT_FOUND for an order that does not exist, and records nothing', async () => {
      const path = `/api/v1/admin/aggregates/inventory/${product}`;
      const before = (await call('GET', path, undefined, adminHeaders())).body.data?.version;
      for (const orderId of ['order-012', randomUUID()]) {
        const reply = await call('POST', `/api/v1/inventory/${product}/allocate`, { orderId, quantity: 1 });
        expect(reply.status).toBe(404);
        expect(reply.body).toMatchObject({ code: 'ORDER_NOT_FOUND', success: false });
      }
      expect((await call('GET', path, undefined, adminHeaders())).body.data?.version).toBe(before);
    });

    it('allocates for a real order', async () => {
      const registered = await call('POST', '/api/v1/orders', order([{ price: '1.00' }]));
      const orderId = registered.body.data?.orderId as string;
      const reply = await call('POST', `/api/v1/inventory/${product}/allocate`, { orderId, quantity: 2 });
      expect(reply.status).toBe(200);
      await eventually(
        `/api/v1/inventory/${product}`,
        (body) => (body.data?.version as number) >= (reply.body.data?.version as number),
      );
    });
  });

  describe('messages that say what is wrong', () => {
    it.each([
      { path: '/api/v1/orders?limit=abc', field: 'limit', message: 'limit must be a whole number from 1 to 100' },
      { path: '/api/v1/orders?limit=1.5', field: 'limit', message: 'limit must be a whole number from 1 to 100' },
      { path: '/api/v1/orders?limit=0', field: 'limit', message: 'limit must be a whole number from 1 to 100' },
      { path: '/api/v1/inventory?limit=abc', field: 'limit', message: 'limit must be a whole number from 1 to 100' },
      {
        path: '/api/v1/fulfillment/queue?limit=-1',
        field: 'limit',
        message: 'limit must be a whole number from 1 to 100',
      },
      {
        path: `/api/v1/customers/ref-customer-${run}/orders?limit=x`,
        field: 'limit',
        message: 'limit must be a whole number from 1 to 100',
      },
      {
        path: '/api/v1/orders/order-012?minVersion=abc',
        field: 'minVersion',
        message: 'minVersion must be a whole number from 1 to 1000000000',
      },
      { path: '/api/v1/orders?cursor=a&cursor=b', field: 'cursor', message: 'cursor must be a string' },
      { path: '/api/v1/orders?status=LOST', field: 'status', message: expect.stringContaining('REGISTERED') },
    ])('$path', async ({ path, field, message }) => {
      const reply = await call('GET', path);
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field, message }] });
    });
  });
});

import { EventStore } from '../src/event-store/event-store';
import { type Harness, startCommandApp } from './command-app.harness';
import { ADDRESS as address } from '../../../test/support/fixtures';

const validOrder = {
  customerId: 'cust-1',
  items: [{ productId: 'bad-a', quantity: 1, price: '9.99' }],
  shippingAddress: address,
};
const unknownOrder = '00000000-0000-4000-8000-000000000000';

describe('bad input on every command endpoint', () => {
  let harness: Harness;
  let orderId: string;
  let shippedOrderId: string;

  beforeAll(async () => {
    harness = await startCommandApp();
    await harness.request('PUT', '/api/v1/inventory/bad-a', { quantity: 100 });
    await harness.request('PUT', '/api/v1/inventory/bad-gone', { quantity: 100 });
    await harness.request('POST', '/api/v1/inventory/bad-gone/discontinue');
    orderId = (await harness.request('POST', '/api/v1/orders', validOrder)).body.data?.orderId as string;
    shippedOrderId = (await harness.request('POST', '/api/v1/orders', validOrder)).body.data?.orderId as string;
    await harness.request('PUT', `/api/v1/orders/${shippedOrderId}/status`, { status: 'SHIPPED' });
  });
  afterAll(() => harness.close());

  const raw = async (method: string, url: string, payload: string, contentType = 'application/json') => {
    const response = await harness.app.inject({
      method: method as 'POST',
      url,
      payload,
      headers: { 'content-type': contentType },
    });
    return {
      status: response.statusCode,
      type: response.headers['content-type'],
      body: JSON.parse(response.body) as Record<string, unknown>,
    };
  };

  type Case = [string, string, () => string, unknown, number, string, Record<string, unknown>?];
  const cases: Case[] = [
    ['register: no body fields', 'POST', () => '/api/v1/orders', {}, 400, 'VALIDATION_FAILED'],
    [
      'register: empty items',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [] },
      400,
      'VALIDATION_FAILED',
      { errors: [{ field: 'items', message: expect.any(String) }] },
    ],
    [
      'register: quantity 0',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: 'bad-a', quantity: 0, price: 1 }] },
      400,
      'VALIDATION_FAILED',
      { errors: [{ field: 'items[0].quantity', message: expect.any(String) }] },
    ],
    [
      'register: quantity 10001',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: 'bad-a', quantity: 10001, price: 1 }] },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'register: quantity as string',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: 'bad-a', quantity: '1', price: 1 }] },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'register: negative price',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: 'bad-a', quantity: 1, price: -1 }] },
      400,
      'VALIDATION_FAILED',
      { errors: [{ field: 'items[0].price', message: expect.any(String) }] },
    ],
    [
      'register: three decimals in EUR',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: 'bad-a', quantity: 1, price: '1.999' }] },
      400,
      'VALIDATION_FAILED',
      { errors: [{ field: 'items[0].price', message: expect.stringContaining('decimal places') }] },
    ],
    [
      'register: a fraction of a cent that is no floating-point artefact',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: 'bad-a', quantity: 1, price: 0.305 }], totalCost: '0.3050001' },
      400,
      'VALIDATION_FAILED',
      {
        errors: [
          { field: 'items[0].price', message: expect.stringContaining('decimal places') },
          { field: 'totalCost', message: expect.stringContaining('decimal places') },
        ],
      },
    ],
    [
      'register: a floating-point total that really differs',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, totalCost: 0.30000000000000004 },
      422,
      'TOTAL_MISMATCH',
    ],
    [
      'register: product twice',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [validOrder.items[0], validOrder.items[0]] },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'register: bad product id',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: '-x', quantity: 1, price: 1 }] },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'register: bad customer id',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, customerId: 'a b' },
      400,
      'VALIDATION_FAILED',
      { errors: [{ field: 'customerId', message: expect.any(String) }] },
    ],
    [
      'register: missing address field',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, shippingAddress: { ...address, city: undefined } },
      400,
      'VALIDATION_FAILED',
      { errors: [{ field: 'shippingAddress.city', message: expect.any(String) }] },
    ],
    [
      'register: unknown currency',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, currency: 'XXQ' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'register: bad issuedAt',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, issuedAt: 'yesterday' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'register: unknown field',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, status: 'SHIPPED' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'register: operator-like field',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, customerId: { $ne: 'x' } },
      400,
      'VALIDATION_FAILED',
    ],
    ['register: wrong total', 'POST', () => '/api/v1/orders', { ...validOrder, totalCost: 10 }, 422, 'TOTAL_MISMATCH'],
    [
      'register: unknown product',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: 'bad-nope', quantity: 1, price: 1 }] },
      422,
      'UNKNOWN_PRODUCTS',
      { productIds: ['bad-nope'] },
    ],
    [
      'register: discontinued product',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: 'bad-gone', quantity: 1, price: 1 }] },
      422,
      'PRODUCT_DISCONTINUED',
    ],
    [
      'register: not enough stock',
      'POST',
      () => '/api/v1/orders',
      { ...validOrder, items: [{ productId: 'bad-a', quantity: 1000, price: 1 }] },
      422,
      'INSUFFICIENT_INVENTORY',
      { products: [{ productId: 'bad-a', requested: 1000, available: 98 }] },
    ],
    [
      'status: unknown value',
      'PUT',
      () => `/api/v1/orders/${orderId}/status`,
      { status: 'LOST' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'status: partial value',
      'PUT',
      () => `/api/v1/orders/${orderId}/status`,
      { status: 'PARTIALLY_SHIPPED' },
      422,
      'INVALID_STATUS_TRANSITION',
      { detail: expect.stringContaining('/shipments') },
    ],
    [
      'status: delivered before shipped',
      'PUT',
      () => `/api/v1/orders/${orderId}/status`,
      { status: 'DELIVERED' },
      422,
      'INVALID_STATUS_TRANSITION',
    ],
    [
      'status: unknown order',
      'PUT',
      () => `/api/v1/orders/${unknownOrder}/status`,
      { status: 'SHIPPED' },
      404,
      'ORDER_NOT_FOUND',
    ],
    [
      'status: an order id this server never gave out',
      'PUT',
      () => '/api/v1/orders/order-012/status',
      { status: 'SHIPPED' },
      404,
      'ORDER_NOT_FOUND',
    ],
    [
      'status: a path segment that can never be an id',
      'PUT',
      () => '/api/v1/orders/-order~012/status',
      { status: 'SHIPPED' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'ship: more than ordered',
      'POST',
      () => `/api/v1/orders/${orderId}/shipments`,
      { items: [{ productId: 'bad-a', quantity: 2 }] },
      422,
      'QUANTITY_EXCEEDS_REMAINING',
    ],
    [
      'ship: product not in order',
      'POST',
      () => `/api/v1/orders/${orderId}/shipments`,
      { items: [{ productId: 'bad-gone', quantity: 1 }] },
      422,
      'PRODUCT_NOT_IN_ORDER',
    ],
    [
      'ship: empty item list',
      'POST',
      () => `/api/v1/orders/${orderId}/shipments`,
      { items: [] },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'ship: shipped order',
      'POST',
      () => `/api/v1/orders/${shippedOrderId}/shipments`,
      {},
      422,
      'INVALID_STATUS_TRANSITION',
    ],
    [
      'deliver: nothing shipped',
      'POST',
      () => `/api/v1/orders/${orderId}/deliveries`,
      {},
      422,
      'INVALID_STATUS_TRANSITION',
    ],
    [
      'deliver: more than shipped',
      'POST',
      () => `/api/v1/orders/${shippedOrderId}/deliveries`,
      { items: [{ productId: 'bad-a', quantity: 5 }] },
      422,
      'QUANTITY_EXCEEDS_REMAINING',
    ],
    [
      'cancel: shipped order',
      'POST',
      () => `/api/v1/orders/${shippedOrderId}/cancel`,
      { reason: 'late' },
      422,
      'ORDER_CANNOT_BE_CANCELLED',
    ],
    ['cancel: unknown order', 'DELETE', () => `/api/v1/orders/${unknownOrder}`, undefined, 404, 'ORDER_NOT_FOUND'],
    [
      'cancel: reason too long',
      'POST',
      () => `/api/v1/orders/${orderId}/cancel`,
      { reason: 'x'.repeat(501) },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'set stock: negative',
      'PUT',
      () => '/api/v1/inventory/bad-a',
      { quantity: -1 },
      400,
      'VALIDATION_FAILED',
      { errors: [{ field: 'quantity', message: expect.any(String) }] },
    ],
    ['set stock: fractional', 'PUT', () => '/api/v1/inventory/bad-a', { quantity: 1.5 }, 400, 'VALIDATION_FAILED'],
    ['set stock: below allocated', 'PUT', () => '/api/v1/inventory/bad-a', { quantity: 0 }, 422, 'BELOW_ALLOCATED'],
    ['set stock: bad product id', 'PUT', () => '/api/v1/inventory/bad%20id', { quantity: 1 }, 400, 'VALIDATION_FAILED'],
    [
      'adjust: zero delta',
      'POST',
      () => '/api/v1/inventory/bad-a/adjustments',
      { delta: 0, reason: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
    ['adjust: no reason', 'POST', () => '/api/v1/inventory/bad-a/adjustments', { delta: 1 }, 400, 'VALIDATION_FAILED'],
    [
      'adjust: below allocated',
      'POST',
      () => '/api/v1/inventory/bad-a/adjustments',
      { delta: -99, reason: 'lost' },
      422,
      'BELOW_ALLOCATED',
    ],
    [
      'adjust: unknown product',
      'POST',
      () => '/api/v1/inventory/bad-nope/adjustments',
      { delta: 1, reason: 'x' },
      404,
      'PRODUCT_NOT_FOUND',
    ],
    [
      'discontinue: unknown product',
      'POST',
      () => '/api/v1/inventory/bad-nope/discontinue',
      undefined,
      404,
      'PRODUCT_NOT_FOUND',
    ],
    [
      'allocate: discontinued',
      'POST',
      () => '/api/v1/inventory/bad-gone/allocate',
      () => ({ orderId, quantity: 1 }),
      422,
      'PRODUCT_DISCONTINUED',
    ],
    [
      'allocate: too much',
      'POST',
      () => '/api/v1/inventory/bad-a/allocate',
      () => ({ orderId, quantity: 1000 }),
      422,
      'INSUFFICIENT_INVENTORY',
    ],
    [
      'allocate: for an order that does not exist',
      'POST',
      () => '/api/v1/inventory/bad-a/allocate',
      { orderId: unknownOrder, quantity: 1 },
      404,
      'ORDER_NOT_FOUND',
    ],
    [
      'allocate: for an order id this server never gave out',
      'POST',
      () => '/api/v1/inventory/bad-a/allocate',
      { orderId: 'order-012', quantity: 1 },
      404,
      'ORDER_NOT_FOUND',
    ],
    [
      'allocate: no order id',
      'POST',
      () => '/api/v1/inventory/bad-a/allocate',
      { quantity: 1 },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'return: more than held',
      'POST',
      () => '/api/v1/inventory/bad-a/return',
      () => ({ orderId, quantity: 2 }),
      422,
      'RETURN_EXCEEDS_ALLOCATION',
      { held: 1 },
    ],
    [
      'return: order holds nothing',
      'POST',
      () => '/api/v1/inventory/bad-a/return',
      { orderId: unknownOrder, quantity: 1 },
      422,
      'RETURN_EXCEEDS_ALLOCATION',
    ],
  ];

  const table = cases.map(([name, method, url, body, status, code, extra]) => ({
    name,
    method,
    url,
    body,
    status,
    code,
    extra: extra ?? {},
  }));

  it.each(table)('$name → $status $code, and nothing changes', async ({ method, url, body, status, code, extra }) => {
    const store = harness.app.get(EventStore);
    const before = store.eventCount;
    const reply = await harness.request(method, url(), typeof body === 'function' ? (body as () => unknown)() : body);
    expect(reply.status).toBe(status);
    expect(reply.headers['content-type']).toContain('application/problem+json');
    expect(reply.body).toMatchObject({
      status,
      code,
      success: false,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(reply.body).toMatchObject(extra);
    expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(store.eventCount).toBe(before);
  });

  it.each([
    {
      name: 'malformed JSON',
      payload: '{"customerId":',
      contentType: 'application/json',
      status: 400,
      code: 'MALFORMED_JSON',
    },
    { name: 'an empty JSON body', payload: '', contentType: 'application/json', status: 400, code: 'MALFORMED_JSON' },
    {
      name: 'a body that is not JSON',
      payload: 'customerId=c1',
      contentType: 'application/x-www-form-urlencoded',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    { name: 'a JSON array', payload: '[]', contentType: 'application/json', status: 400, code: 'VALIDATION_FAILED' },
    {
      name: 'a body over 1 MiB',
      payload: JSON.stringify({ ...validOrder, customerId: 'x'.repeat(1024 * 1024 + 10) }),
      contentType: 'application/json',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
  ])('answers $name with $status $code', async ({ payload, contentType, status, code }) => {
    const store = harness.app.get(EventStore);
    const before = store.eventCount;
    const reply = await raw('POST', '/api/v1/orders', payload, contentType);
    expect(reply.status).toBe(status);
    expect(reply.type).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ status, code, success: false });
    expect(store.eventCount).toBe(before);
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const reply = await harness.request('POST', '/api/v1/nothing-here', {});
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ code: 'NOT_FOUND', success: false });
  });

  it('rejects malformed If-Match and Idempotency-Key headers', async () => {
    const ifMatch = await harness.request(
      'PUT',
      '/api/v1/inventory/bad-a',
      { quantity: 100 },
      { 'if-match': 'banana' },
    );
    expect(ifMatch).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const key = await harness.request(
      'PUT',
      '/api/v1/inventory/bad-a',
      { quantity: 100 },
      { 'idempotency-key': 'x'.repeat(300) },
    );
    expect(key).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });
});

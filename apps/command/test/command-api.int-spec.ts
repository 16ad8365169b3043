import { ADDRESS } from '../../../test/support/fixtures';
import { uniqueName } from '../../../test/support/kafka-test-helpers';
import type { DomainEvent } from '../src/event-store/aggregates';
import {
  type ApiRequest,
  apiSpecification,
  expectNewEvents,
  expectNoNewEvents,
  expectResponse,
  type GivenStream,
} from './api-specification';
import { type Harness, startCommandApp } from './command-app.harness';

/** A product with stock, and with `allocated` of it held by `orderId`. */
function product(id: string, onHand: number, allocated?: { orderId: string; quantity: number }): GivenStream {
  const events: DomainEvent[] = [
    {
      type: 'InventoryUpdated',
      data: { productId: id, name: null, previousOnHand: 0, onHand, kind: 'SET', reason: null },
    },
  ];
  if (allocated) events.push({ type: 'InventoryAllocated', data: { productId: id, ...allocated } });
  return { type: 'Inventory', id, events };
}

/** A registered order of `quantity` units of one product at 3.00, then whatever else it went through. */
function order(id: string, productId: string, quantity: number, ...after: DomainEvent[]): GivenStream {
  return {
    type: 'Order',
    id,
    events: [
      {
        type: 'OrderCreated',
        data: {
          orderId: id,
          customerId: 'spec-customer',
          currency: 'EUR',
          lines: [{ productId, quantity, unitPriceMinor: 300 }],
          totalMinor: 300 * quantity,
          shippingAddress: ADDRESS,
          billingAddress: ADDRESS,
          issuedAt: null,
        },
      },
      ...after,
    ],
  };
}

/** A registration of `quantity` units of one product at 3.00. */
function registration(productId: string, quantity: number): ApiRequest {
  return {
    method: 'POST',
    url: '/api/v1/orders',
    body: { customerId: 'spec-customer', items: [{ productId, quantity, price: '3.00' }], shippingAddress: ADDRESS },
  };
}

/** The command API as specifications: given the streams, when a request, then the answer and the new events. */
describe('command API specifications', () => {
  let harness: Harness;
  const spec = apiSpecification(() => harness);
  const ids = () => {
    const tag = uniqueName('spec');
    return { sku: `${tag}-sku`, orderId: crypto.randomUUID() };
  };

  beforeAll(async () => {
    harness = await startCommandApp();
  }, 60000);
  afterAll(async () => {
    await harness?.close();
  });

  it('registers an order: OrderCreated, and the stock allocated to it', async () => {
    const { sku } = ids();
    await spec
      .given(product(sku, 10))
      .when(registration(sku, 2))
      .then(
        expectResponse(201, { data: { status: 'REGISTERED', totalCost: '6.00', version: 1 } }),
        expectNewEvents('Order', (reply) => reply.body.data?.orderId as string, [
          { type: 'OrderCreated', data: { customerId: 'spec-customer', totalMinor: 600 } },
        ]),
        expectNewEvents('Inventory', sku, [{ type: 'InventoryAllocated', data: { quantity: 2 } }]),
      );
  });

  it('refuses an order the stock cannot cover, and records nothing', async () => {
    const { sku } = ids();
    await spec
      .given(product(sku, 1))
      .when(registration(sku, 2))
      .then(expectResponse(422, { code: 'INSUFFICIENT_INVENTORY' }), expectNoNewEvents('Inventory', sku));
  });

  it('cancels a registered order: OrderCancelled, and its stock returned', async () => {
    const { sku, orderId } = ids();
    await spec
      .given(product(sku, 10, { orderId, quantity: 2 }), order(orderId, sku, 2))
      .when({ method: 'POST', url: `/api/v1/orders/${orderId}/cancel`, body: { reason: 'changed my mind' } })
      .then(
        expectResponse(200, { data: { status: 'CANCELLED', version: 2 } }),
        expectNewEvents('Order', orderId, [{ type: 'OrderCancelled', data: { reason: 'changed my mind' } }]),
        expectNewEvents('Inventory', sku, [{ type: 'InventoryReturned', data: { orderId, quantity: 2 } }]),
      );
  });

  it('refuses to cancel a shipped order, and records nothing', async () => {
    const { sku, orderId } = ids();
    const shipped: DomainEvent[] = [
      { type: 'OrderItemsShipped', data: { orderId, items: [{ productId: sku, quantity: 2 }] } },
      { type: 'OrderStatusUpdated', data: { orderId, previousStatus: 'REGISTERED', status: 'SHIPPED' } },
    ];
    await spec
      .given(product(sku, 10, { orderId, quantity: 2 }), order(orderId, sku, 2, ...shipped))
      .when({ method: 'POST', url: `/api/v1/orders/${orderId}/cancel`, body: {} })
      .then(
        expectResponse(422, { code: 'ORDER_CANNOT_BE_CANCELLED', currentStatus: 'SHIPPED' }),
        expectNoNewEvents('Order', orderId),
        expectNoNewEvents('Inventory', sku),
      );
  });

  it('refuses a command made against another version (If-Match), and records nothing', async () => {
    const { sku } = ids();
    await spec
      .given(product(sku, 10))
      .when({ method: 'PUT', url: `/api/v1/inventory/${sku}`, body: { quantity: 6 }, headers: { 'if-match': '"7"' } })
      .then(
        expectResponse(409, { code: 'CONCURRENCY_CONFLICT', expectedVersion: 7, actualVersion: 1 }),
        expectNoNewEvents('Inventory', sku),
      );
  });
});

import { randomUUID } from 'node:crypto';
import { encodeCursor } from '../../apps/query/src/http/pagination';
import { call, eventually } from '../support/gateway-client';

describe('the whole story through the gateway', () => {
  const tag = randomUUID().slice(0, 8);
  const chair = `story-chair-${tag}`;
  const lamp = `story-lamp-${tag}`;
  const customer = `story-customer-${tag}`;
  const address = { street: '12 Harbour Rd', city: 'Leeds', state: 'ENG', zipcode: 'LS1 4AP', country: 'GB' };

  it('stocks, orders, ships part, delivers, cancels, and all four read models agree', async () => {
    expect((await call('PUT', `/api/v1/inventory/${chair}`, { quantity: 10, name: 'Oak chair' })).status).toBe(200);
    expect((await call('PUT', `/api/v1/inventory/${lamp}`, { quantity: 5, name: 'Desk lamp' })).status).toBe(200);

    const first = await call('POST', '/api/v1/orders', {
      customerId: customer,
      items: [
        { productId: chair, quantity: 4, price: '49.90' },
        { productId: lamp, quantity: 2, price: 19.5 },
      ],
      shippingAddress: address,
    });
    expect(first.status).toBe(201);
    const kept = String(first.body.data?.orderId);
    const second = await call('POST', '/api/v1/orders', {
      customerId: customer,
      items: [{ productId: chair, quantity: 3, price: '49.90' }],
      shippingAddress: address,
    });
    expect(second.status).toBe(201);
    const cancelled = String(second.body.data?.orderId);

    // Ship part: the lamps and one chair; then deliver the lamps.
    const shipped = await call('POST', `/api/v1/orders/${kept}/shipments`, {
      items: [
        { productId: lamp, quantity: 2 },
        { productId: chair, quantity: 1 },
      ],
    });
    expect(shipped.body.data).toMatchObject({ status: 'PARTIALLY_SHIPPED' });
    const delivered = await call('POST', `/api/v1/orders/${kept}/deliveries`, {
      items: [{ productId: lamp, quantity: 2 }],
    });
    expect(delivered.body.data).toMatchObject({ status: 'PARTIALLY_DELIVERED' });
    const keptVersion = Number(delivered.body.data?.version);
    expect(keptVersion).toBeGreaterThan(Number(shipped.body.data?.version));
    const cancel = await call('POST', `/api/v1/orders/${cancelled}/cancel`, { reason: 'changed my mind' });
    expect(cancel.body.data).toMatchObject({ status: 'CANCELLED' });
    const cancelledVersion = Number(cancel.body.data?.version);

    // OrderSummary
    const summary = await call('GET', `/api/v1/orders/${kept}?minVersion=${keptVersion}`);
    expect(summary.body.data).toMatchObject({
      orderId: kept,
      customerId: customer,
      status: 'PARTIALLY_DELIVERED',
      totalCost: '238.60',
      version: keptVersion,
      shippingAddress: address,
      lines: [
        { productId: chair, ordered: 4, shipped: 1, delivered: 0 },
        { productId: lamp, ordered: 2, shipped: 2, delivered: 2 },
      ],
    });
    const gone = await call('GET', `/api/v1/orders/${cancelled}?minVersion=${cancelledVersion}`);
    expect(gone.body.data).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'changed my mind',
      version: cancelledVersion,
    });
    const listed = await eventually(
      `/api/v1/orders?customerId=${customer}`,
      (body) => (body.data as unknown as unknown[]).length === 2,
    );
    expect((listed.data as unknown as { orderId: string }[]).map((order) => order.orderId)).toEqual([cancelled, kept]);

    // InventoryStatus: 10 chairs, 1 shipped, 3 held by the kept order, the cancelled 3 returned.
    const chairs = await eventually(
      `/api/v1/inventory/${chair}`,
      (body) => body.data?.onHand === 9 && body.data.allocated === 3,
    );
    expect(chairs.data).toMatchObject({
      onHand: 9,
      allocated: 3,
      available: 6,
      status: 'AVAILABLE',
      name: 'Oak chair',
    });
    const lamps = await eventually(`/api/v1/inventory/${lamp}`, (body) => body.data?.onHand === 3);
    expect(lamps.data).toMatchObject({ onHand: 3, allocated: 0, available: 3, status: 'AVAILABLE' });

    // FulfillmentWorkQueue: the kept order with 3 chairs left; the cancelled one is gone.
    // The queue is oldest first, and a stack that ran make bench or make
    // seed-data holds hundreds of thousands of older entries: the walk starts
    // at the kept order's creation (a cursor just before it), before both of
    // ours.
    const keptCreatedAt = String(summary.body.data?.createdAt);
    const fromOurs = encodeCursor([keptCreatedAt, '']);
    const queued = async (status: string) => {
      const found: { orderId: string; version: number }[] = [];
      let cursor: string | null = fromOurs;
      do {
        const reply = await call('GET', `/api/v1/fulfillment/queue?status=${status}&limit=100&cursor=${cursor}`);
        expect(reply.status).toBe(200);
        found.push(...(reply.body.data as unknown as { orderId: string; version: number }[]));
        cursor = reply.body.nextCursor as string | null;
      } while (cursor);
      return found;
    };
    const deadline = Date.now() + 15000;
    let entry: Record<string, unknown> | undefined;
    while (!entry && Date.now() < deadline) {
      entry = (await queued('PARTIALLY_DELIVERED')).find((e) => e.orderId === kept && e.version === keptVersion);
    }
    // Found from that cursor, so the same walk would find the cancelled order too if it were queued.
    expect(entry).toMatchObject({
      status: 'PARTIALLY_DELIVERED',
      createdAt: keptCreatedAt,
      itemsRemaining: 3,
      lines: [{ productId: chair, ordered: 4, shipped: 1, remaining: 3 }],
    });
    expect((await queued('REGISTERED')).find((e) => e.orderId === cancelled)).toBeUndefined();

    // CustomerOrderHistory: two orders, the cancelled one not counted in the total.
    const history = await eventually(`/api/v1/customers/${customer}/orders`, (body) => body.data?.orderCount === 2);
    expect(history.data).toMatchObject({ customerId: customer, orderCount: 2, totalSpent: { EUR: '238.60' } });
    expect((history.data?.orders as { orderId: string; status: string }[]).map((o) => [o.orderId, o.status])).toEqual([
      [cancelled, 'CANCELLED'],
      [kept, 'PARTIALLY_DELIVERED'],
    ]);
  }, 60_000);
});

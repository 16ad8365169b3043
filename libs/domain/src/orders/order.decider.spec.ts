import { specificationFor } from '../../testing/decider-specification';
import type { RegisterOrder } from './order.commands';
import { orderDecider } from './order.decider';
import type { OrderEvent } from './order.events';
import { ORDER_ID, orderCreated, registerOrder } from '../../testing/order-fixtures';

const spec = specificationFor(orderDecider);
const orderId = ORDER_ID;

const LINES = [
  { productId: 'sku-a', quantity: 2, unitPriceMinor: 1999 },
  { productId: 'sku-b', quantity: 1, unitPriceMinor: 500 },
];
const register = (overrides: Partial<RegisterOrder['data']> = {}): RegisterOrder =>
  registerOrder(LINES, { issuedAt: '2026-11-20T09:00:00Z', ...overrides });
const created: OrderEvent = orderCreated(register());
const shipped = (items: { productId: string; quantity: number }[]): OrderEvent => ({
  type: 'OrderItemsShipped',
  data: { orderId, items },
});
const delivered = (items: { productId: string; quantity: number }[]): OrderEvent => ({
  type: 'OrderItemsDelivered',
  data: { orderId, items },
});
const statusUpdated = (previousStatus: string, status: string): OrderEvent =>
  ({ type: 'OrderStatusUpdated', data: { orderId, previousStatus, status } }) as OrderEvent;
const cancelled: OrderEvent = { type: 'OrderCancelled', data: { orderId, reason: null } };

const allShipped = [
  shipped([
    { productId: 'sku-a', quantity: 2 },
    { productId: 'sku-b', quantity: 1 },
  ]),
  statusUpdated('REGISTERED', 'SHIPPED'),
];
const partlyShipped = [
  shipped([{ productId: 'sku-a', quantity: 1 }]),
  statusUpdated('REGISTERED', 'PARTIALLY_SHIPPED'),
];

const ship = (items: { productId: string; quantity: number }[] | null) =>
  ({ type: 'ShipOrderItems', data: { orderId, items } }) as const;
const deliver = (items: { productId: string; quantity: number }[] | null) =>
  ({ type: 'DeliverOrderItems', data: { orderId, items } }) as const;
const cancel = { type: 'CancelOrder', data: { orderId, reason: null } } as const;

describe('Order decider', () => {
  describe('RegisterOrder', () => {
    it('creates the order with its total in minor units', () => {
      spec.given([]).when(register()).then([created]);
    });

    it('accepts a client total that equals the sum of the lines', () => {
      spec
        .given([])
        .when(register({ expectedTotalMinor: 4498 }))
        .then([created]);
    });

    it('rejects a client total that differs from the sum of the lines', () => {
      spec
        .given([])
        .when(register({ expectedTotalMinor: 4499 }))
        .thenThrows('TOTAL_MISMATCH', {
          expectedTotalMinor: 4499,
          actualTotalMinor: 4498,
        });
    });

    it('rejects an order without lines or with more than 100', () => {
      spec
        .given([])
        .when(register({ lines: [] }))
        .thenThrows('INVALID_ORDER');
      const lines = Array.from({ length: 101 }, (_, i) => ({ productId: `p${i}`, quantity: 1, unitPriceMinor: 1 }));
      spec.given([]).when(register({ lines })).thenThrows('INVALID_ORDER');
    });

    it('rejects a product listed twice', () => {
      const lines = [
        { productId: 'sku-a', quantity: 1, unitPriceMinor: 1 },
        { productId: 'sku-a', quantity: 2, unitPriceMinor: 1 },
      ];
      spec.given([]).when(register({ lines })).thenThrows('INVALID_ORDER', { productId: 'sku-a' });
    });

    it.each([0, 10_001, 1.5])('rejects a line quantity of %p', (quantity) => {
      spec
        .given([])
        .when(register({ lines: [{ productId: 'sku-a', quantity, unitPriceMinor: 1 }] }))
        .thenThrows('INVALID_QUANTITY');
    });

    it('rejects a negative price and a second registration of the same id', () => {
      spec
        .given([])
        .when(register({ lines: [{ productId: 'sku-a', quantity: 1, unitPriceMinor: -1 }] }))
        .thenThrows('INVALID_ORDER');
      spec.given([created]).when(register()).thenThrows('INVALID_ORDER');
    });
  });

  describe('ShipOrderItems', () => {
    it('ships part of a registered order: PARTIALLY_SHIPPED', () => {
      spec
        .given([created])
        .when(ship([{ productId: 'sku-a', quantity: 1 }]))
        .then(partlyShipped);
    });

    it('ships everything left when no items are given: SHIPPED', () => {
      spec.given([created]).when(ship(null)).then(allShipped);
    });

    it('ships the rest of a partly shipped order: PARTIALLY_SHIPPED → SHIPPED', () => {
      spec
        .given([created, ...partlyShipped])
        .when(ship(null))
        .then([
          shipped([
            { productId: 'sku-a', quantity: 1 },
            { productId: 'sku-b', quantity: 1 },
          ]),
          statusUpdated('PARTIALLY_SHIPPED', 'SHIPPED'),
        ]);
    });

    it('records no status change when a partial shipment stays partial', () => {
      spec
        .given([created, ...partlyShipped])
        .when(ship([{ productId: 'sku-b', quantity: 1 }]))
        .then([shipped([{ productId: 'sku-b', quantity: 1 }])]);
    });

    it('ships the rest of a partly delivered order without leaving PARTIALLY_DELIVERED', () => {
      spec
        .given([
          created,
          ...partlyShipped,
          delivered([{ productId: 'sku-a', quantity: 1 }]),
          statusUpdated('PARTIALLY_SHIPPED', 'PARTIALLY_DELIVERED'),
        ])
        .when(ship(null))
        .then([
          shipped([
            { productId: 'sku-a', quantity: 1 },
            { productId: 'sku-b', quantity: 1 },
          ]),
        ]);
    });

    it('cannot ship more than was ordered', () => {
      spec
        .given([created, ...partlyShipped])
        .when(ship([{ productId: 'sku-a', quantity: 2 }]))
        .thenThrows('QUANTITY_EXCEEDS_REMAINING', {
          productId: 'sku-a',
          requested: 2,
          remaining: 1,
        });
    });

    it('cannot ship a product that is not in the order', () => {
      spec
        .given([created])
        .when(ship([{ productId: 'sku-x', quantity: 1 }]))
        .thenThrows('PRODUCT_NOT_IN_ORDER');
    });

    it('rejects the same product twice and a zero quantity', () => {
      spec
        .given([created])
        .when(
          ship([
            { productId: 'sku-a', quantity: 1 },
            { productId: 'sku-a', quantity: 1 },
          ]),
        )
        .thenThrows('INVALID_QUANTITY');
      spec
        .given([created])
        .when(ship([{ productId: 'sku-a', quantity: 0 }]))
        .thenThrows('INVALID_QUANTITY');
    });

    it.each([
      { status: 'SHIPPED', history: [created, ...allShipped] },
      { status: 'CANCELLED', history: [created, cancelled] },
    ])('cannot ship a $status order', ({ history }) => {
      spec.given(history).when(ship(null)).thenThrows('INVALID_STATUS_TRANSITION');
    });

    it('cannot ship an order that does not exist', () => {
      spec.given([]).when(ship(null)).thenThrows('ORDER_NOT_FOUND', { orderId });
    });
  });

  describe('DeliverOrderItems', () => {
    it('cannot deliver a registered order: nothing is shipped', () => {
      spec
        .given([created])
        .when(deliver(null))
        .thenThrows('INVALID_STATUS_TRANSITION', { currentStatus: 'REGISTERED' });
    });

    it('delivers part of a shipped order: SHIPPED → PARTIALLY_DELIVERED', () => {
      spec
        .given([created, ...allShipped])
        .when(deliver([{ productId: 'sku-b', quantity: 1 }]))
        .then([delivered([{ productId: 'sku-b', quantity: 1 }]), statusUpdated('SHIPPED', 'PARTIALLY_DELIVERED')]);
    });

    it('delivers everything shipped: SHIPPED → DELIVERED', () => {
      spec
        .given([created, ...allShipped])
        .when(deliver(null))
        .then([
          delivered([
            { productId: 'sku-a', quantity: 2 },
            { productId: 'sku-b', quantity: 1 },
          ]),
          statusUpdated('SHIPPED', 'DELIVERED'),
        ]);
    });

    it('delivers what a partly shipped order has shipped: PARTIALLY_SHIPPED → PARTIALLY_DELIVERED', () => {
      spec
        .given([created, ...partlyShipped])
        .when(deliver(null))
        .then([
          delivered([{ productId: 'sku-a', quantity: 1 }]),
          statusUpdated('PARTIALLY_SHIPPED', 'PARTIALLY_DELIVERED'),
        ]);
    });

    it('cannot deliver more than was shipped', () => {
      spec
        .given([created, ...partlyShipped])
        .when(deliver([{ productId: 'sku-a', quantity: 2 }]))
        .thenThrows('QUANTITY_EXCEEDS_REMAINING');
      spec
        .given([created, ...partlyShipped])
        .when(deliver([{ productId: 'sku-b', quantity: 1 }]))
        .thenThrows('QUANTITY_EXCEEDS_REMAINING');
    });

    it('finishes a partly delivered order: PARTIALLY_DELIVERED → DELIVERED', () => {
      spec
        .given([
          created,
          ...allShipped,
          delivered([{ productId: 'sku-b', quantity: 1 }]),
          statusUpdated('SHIPPED', 'PARTIALLY_DELIVERED'),
        ])
        .when(deliver(null))
        .then([delivered([{ productId: 'sku-a', quantity: 2 }]), statusUpdated('PARTIALLY_DELIVERED', 'DELIVERED')]);
    });

    it('cannot deliver a delivered or cancelled order', () => {
      const done = [
        created,
        ...allShipped,
        delivered([
          { productId: 'sku-a', quantity: 2 },
          { productId: 'sku-b', quantity: 1 },
        ]),
        statusUpdated('SHIPPED', 'DELIVERED'),
      ];
      spec.given(done).when(deliver(null)).thenThrows('INVALID_STATUS_TRANSITION', { currentStatus: 'DELIVERED' });
      spec
        .given([created, cancelled])
        .when(deliver(null))
        .thenThrows('INVALID_STATUS_TRANSITION', { currentStatus: 'CANCELLED' });
    });
  });

  describe('CancelOrder', () => {
    it('cancels a registered order', () => {
      spec.given([created]).when(cancel).then([cancelled]);
    });

    it.each([
      { status: 'PARTIALLY_SHIPPED', history: [created, ...partlyShipped] },
      { status: 'SHIPPED', history: [created, ...allShipped] },
      { status: 'CANCELLED', history: [created, cancelled] },
    ])('cannot cancel a $status order', ({ status, history }) => {
      spec.given(history).when(cancel).thenThrows('ORDER_CANNOT_BE_CANCELLED', { currentStatus: status });
    });

    it('cannot cancel an order that does not exist', () => {
      spec.given([]).when(cancel).thenThrows('ORDER_NOT_FOUND');
    });
  });

  describe('evolve', () => {
    it('tracks ordered, shipped and delivered per line, and the status', () => {
      const { state } = spec.given([created, ...partlyShipped, delivered([{ productId: 'sku-a', quantity: 1 }])]);
      expect(state).toMatchObject({
        status: 'PARTIALLY_DELIVERED',
        totalMinor: 4498,
        lines: [
          { productId: 'sku-a', ordered: 2, shipped: 1, delivered: 1 },
          { productId: 'sku-b', ordered: 1, shipped: 0, delivered: 0 },
        ],
      });
    });
  });
});

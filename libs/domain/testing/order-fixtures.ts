import { ADDRESS } from '../../../test/support/fixtures';
import type { OrderLine, OrderCreated, RegisterOrder } from '../src';

/** The order the domain specifications talk about. */
export const ORDER_ID = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

/** A registration of these lines by `cust-1`, in euros, shipped and billed to the shared address. */
export function registerOrder(lines: OrderLine[], overrides: Partial<RegisterOrder['data']> = {}): RegisterOrder {
  return {
    type: 'RegisterOrder',
    data: {
      orderId: ORDER_ID,
      customerId: 'cust-1',
      currency: 'EUR',
      lines,
      shippingAddress: ADDRESS,
      billingAddress: ADDRESS,
      expectedTotalMinor: null,
      issuedAt: null,
      ...overrides,
    },
  };
}

/** The event that registration records. */
export function orderCreated(registration: RegisterOrder): OrderCreated {
  const { orderId, customerId, currency, lines, shippingAddress, billingAddress, issuedAt } = registration.data;
  return {
    type: 'OrderCreated',
    data: {
      orderId,
      customerId,
      currency,
      lines,
      totalMinor: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0),
      shippingAddress,
      billingAddress,
      issuedAt,
    },
  };
}

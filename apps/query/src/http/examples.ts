import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiResponse } from '@nestjs/swagger';

/* Realistic answers of the query API, for its OpenAPI document. */

const orderSummary = {
  orderId: '9b58abd3-e342-4fd0-b687-061841230668',
  customerId: 'customer-42',
  status: 'PARTIALLY_SHIPPED',
  currency: 'EUR',
  totalCost: '356.96',
  lines: [
    { productId: 'sku-espresso', ordered: 3, shipped: 3, delivered: 0, unitPrice: '96.27', lineTotal: '288.81' },
    { productId: 'sku-grinder', ordered: 1, shipped: 0, delivered: 0, unitPrice: '68.15', lineTotal: '68.15' },
  ],
  shippingAddress: { street: '97 Church St', city: 'Berlin', state: 'BE', zipcode: '10115', country: 'DE' },
  billingAddress: { street: '97 Church St', city: 'Berlin', state: 'BE', zipcode: '10115', country: 'DE' },
  issuedAt: null,
  createdAt: '2026-11-21T05:21:23.703Z',
  updatedAt: '2026-11-21T05:21:23.716Z',
  cancelledAt: null,
  cancellationReason: null,
  version: 3,
};

const inventoryStatus = {
  productId: 'sku-espresso',
  name: 'Espresso beans 1 kg',
  onHand: 50,
  allocated: 3,
  available: 47,
  status: 'AVAILABLE',
  version: 4,
  updatedAt: '2026-11-21T05:11:16.029Z',
};

const queueEntry = {
  orderId: '9b58abd3-e342-4fd0-b687-061841230668',
  customerId: 'customer-42',
  status: 'PARTIALLY_SHIPPED',
  createdAt: '2026-11-21T05:21:23.703Z',
  itemsRemaining: 1,
  lines: [{ productId: 'sku-grinder', ordered: 1, shipped: 0, remaining: 1 }],
  shipTo: { city: 'Berlin', country: 'DE', zipcode: '10115' },
  version: 3,
};

const customerHistory = {
  customerId: 'customer-42',
  orderCount: 2,
  totalSpent: { EUR: '356.96' },
  lastOrderAt: '2026-11-21T05:21:23.703Z',
  orders: [
    {
      orderId: '9b58abd3-e342-4fd0-b687-061841230668',
      status: 'PARTIALLY_SHIPPED',
      currency: 'EUR',
      totalCost: '356.96',
      itemCount: 4,
      createdAt: '2026-11-21T05:21:23.703Z',
      version: 3,
    },
    {
      orderId: '3217ed76-70d6-4774-90e7-91a599d242bb',
      status: 'CANCELLED',
      currency: 'EUR',
      totalCost: '175.68',
      itemCount: 1,
      createdAt: '2026-11-21T05:20:23.111Z',
      version: 2,
    },
  ],
};

const NEXT = 'WyIyMDI2LTExLTIxVDA1OjIxOjIzLjcwM1oiLCI5YjU4YWJkMy1lMzQyLTRmZDAtYjY4Ny0wNjE4NDEyMzA2NjgiXQ';
export const list = (item: unknown): Record<string, unknown> => ({ success: true, data: [item], nextCursor: NEXT });
export const one = (item: unknown): Record<string, unknown> => ({ success: true, data: item });

export const badRequest = ApiResponse({
  status: 400,
  description: 'A parameter is malformed or unknown (application/problem+json, code VALIDATION_FAILED)',
});
export const notFound = (code: string): MethodDecorator & ClassDecorator =>
  ApiResponse({ status: 404, description: `Unknown id (application/problem+json, code ${code})` });
export const PAGING =
  'Pass nextCursor back as cursor for the next page; a page may be shorter than limit and still have one.';

export const ApiOrderList = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiOkResponse({ description: PAGING, schema: { example: list(orderSummary) } }), badRequest);
export const ApiOrder = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiOkResponse({ schema: { example: one(orderSummary) } }), badRequest, notFound('ORDER_NOT_FOUND'));
export const ApiInventoryList = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiOkResponse({ description: PAGING, schema: { example: list(inventoryStatus) } }), badRequest);
export const ApiInventory = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiOkResponse({ schema: { example: one(inventoryStatus) } }),
    badRequest,
    notFound('PRODUCT_NOT_FOUND'),
  );
export const ApiQueue = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiOkResponse({ description: PAGING, schema: { example: list(queueEntry) } }), badRequest);
export const ApiCustomerHistory = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiOkResponse({ description: PAGING, schema: { example: { ...one(customerHistory), nextCursor: NEXT } } }),
    badRequest,
    notFound('CUSTOMER_NOT_FOUND'),
    ApiResponse({
      status: 503,
      description:
        'READ_MODEL_UNAVAILABLE (problem+json, Retry-After): the read store is unreachable, or customer histories ' +
        'are being rebuilt after an upgrade',
    }),
  );

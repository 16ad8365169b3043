import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiResponse } from '@nestjs/swagger';

const CLIENT_ID_SCHEMA = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;

/**
 * An id in the path, as the OpenAPI documents describe it: any id of the
 * client-id form may be asked for; one that names nothing is 404, and only a
 * segment that can never be an id is 400.
 */
function idParam(name: string, what: string, notFound: string, example: string): MethodDecorator {
  return applyDecorators(
    ApiParam({
      name,
      description: `${what}: 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit. One that names nothing is 404.`,
      schema: { ...CLIENT_ID_SCHEMA, example },
    }),
    ApiResponse({ status: 404, description: `Nothing has that id (application/problem+json, code ${notFound})` }),
  );
}

export const ApiOrderIdParam = (): MethodDecorator =>
  idParam(
    'orderId',
    'The order id the server gave out (a UUID)',
    'ORDER_NOT_FOUND',
    '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  );

export const ApiProductIdParam = (): MethodDecorator =>
  idParam('productId', 'A product id chosen by the client', 'PRODUCT_NOT_FOUND', 'sku-espresso');

export const ApiCustomerIdParam = (): MethodDecorator =>
  idParam('customerId', 'A customer id chosen by the client', 'CUSTOMER_NOT_FOUND', 'customer-42');

/** What both documents say about HTTP itself. */
export const HTTP_CONVENTIONS =
  ' A path asked with a method it does not take answers 405 problem+json with an Allow header naming the ' +
  'methods it takes (through the gateway, those of both apps); OPTIONS answers 204 with Allow.';

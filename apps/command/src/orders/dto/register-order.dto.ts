import { isCurrency, MAX_ORDER_LINES } from '@of/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { clientId, moneyInput } from '../../command-handling/body-fields';
import { AddressSchema } from './address.dto';
import { lineList, lineQuantity, productId } from './order-commands.dto';

const MONEY_RULE =
  'A JSON number or a decimal string, at most the currency minor digits (2 for EUR/USD), never negative. ' +
  'A value less than a millionth of a minor unit away from such an amount is taken as that amount ' +
  '("7214.0599999999995" is 7214.06, 0.30000000000000004 is 0.30); any other finer value is 400.';

/** A line: a product and quantity (as in shipments), and its unit price. */
export const OrderItemSchema = z.strictObject({
  productId,
  quantity: lineQuantity,
  price: moneyInput('price').meta({ example: '29.99', description: `Unit price. ${MONEY_RULE}` }),
});

export const RegisterOrderSchema = z.strictObject({
  customerId: clientId('customerId', 'customer-42'),
  items: lineList(OrderItemSchema, MAX_ORDER_LINES),
  shippingAddress: AddressSchema,
  billingAddress: AddressSchema.optional().meta({ description: 'Defaults to the shipping address' }),
  currency: z
    .string({ error: 'currency must be a string' })
    .refine(isCurrency, { error: 'currency must be an ISO 4217 code such as EUR' })
    .optional()
    .meta({ description: 'ISO 4217; defaults to EUR', example: 'EUR' }),
  totalCost: moneyInput('totalCost')
    .optional()
    .meta({ example: '59.98', description: `If given, must equal the sum of the lines. ${MONEY_RULE}` }),
  issuedAt: z
    .union([z.iso.datetime({ offset: true, local: true }), z.iso.date()], {
      error: 'issuedAt must be an ISO-8601 date or date-time',
    })
    .optional()
    .meta({ description: 'When the order was issued upstream; kept as sent', example: '2026-11-20T09:30:00Z' }),
});
export class RegisterOrderDto extends createZodDto(RegisterOrderSchema) {}

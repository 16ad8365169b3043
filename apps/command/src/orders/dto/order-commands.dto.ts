import { MAX_LINE_QUANTITY, ORDER_STATUSES } from '@of/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { clientId, text, wholeNumber } from '../../command-handling/body-fields';

export const UpdateOrderStatusSchema = z.strictObject({
  status: z.enum(ORDER_STATUSES, { error: `status must be one of ${ORDER_STATUSES.join(', ')}` }).meta({
    description: 'SHIPPED or DELIVERED; partial steps use the shipments and deliveries endpoints',
    example: 'SHIPPED',
  }),
});
export class UpdateOrderStatusDto extends createZodDto(UpdateOrderStatusSchema) {}

export const productId = clientId('productId', 'sku-espresso-1kg');

export const lineQuantity = wholeNumber('quantity', 1, MAX_LINE_QUANTITY, 1);

export const ItemQuantitySchema = z.strictObject({ productId, quantity: lineQuantity });

/** 1 to `max` lines, each product at most once. */
export function lineList<T extends z.ZodType<{ productId: string }>>(line: T, max: number): z.ZodArray<T> {
  return z
    .array(line, { error: 'items must be an array' })
    .min(1, { error: 'items must contain at least 1 elements' })
    .max(max, { error: `items must contain no more than ${max} elements` })
    .refine((items) => new Set(items.map((item) => item.productId)).size === items.length, {
      error: 'items must list each product at most once',
    });
}

export const ItemsSchema = z.strictObject({
  items: lineList(ItemQuantitySchema, 100).optional().meta({ description: 'Omitted: everything that is left' }),
});
export class ItemsDto extends createZodDto(ItemsSchema) {}

export const CancelOrderSchema = z.strictObject({
  reason: text('reason', 500, 'customer changed their mind', false).optional(),
});
export class CancelOrderDto extends createZodDto(CancelOrderSchema) {}

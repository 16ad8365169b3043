import { MAX_ON_HAND } from '@of/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { clientId, text, wholeNumber } from '../../command-handling/body-fields';

export const SetStockSchema = z.strictObject({
  quantity: wholeNumber('quantity', 0, MAX_ON_HAND, 120).meta({ description: 'On-hand units' }),
  name: text('name', 200, 'Espresso beans 1 kg').optional(),
});
export class SetStockDto extends createZodDto(SetStockSchema) {}

export const AdjustStockSchema = z.strictObject({
  delta: wholeNumber('delta', -MAX_ON_HAND, MAX_ON_HAND, -3)
    .refine((delta) => delta !== 0, { error: 'delta should not be equal to 0' })
    .meta({ description: 'Positive to restock, negative for shrinkage' }),
  reason: text('reason', 200, 'damaged in transit'),
});
export class AdjustStockDto extends createZodDto(AdjustStockSchema) {}

export const OrderQuantitySchema = z.strictObject({
  orderId: clientId('orderId', '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f'),
  quantity: wholeNumber('quantity', 1, MAX_ON_HAND, 2),
});
export class OrderQuantityDto extends createZodDto(OrderQuantitySchema) {}

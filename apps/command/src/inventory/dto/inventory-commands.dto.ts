import { CLIENT_ID_PATTERN, MAX_ON_HAND } from '@of/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const wholeNumber = (field: string, min: number, max: number, example: number) =>
  z
    .number({ error: `${field} must be a whole number` })
    .int({ error: `${field} must be a whole number` })
    .min(min, { error: `${field} must not be less than ${min}` })
    .max(max, { error: `${field} must not be greater than ${max}` })
    .meta({ example });

const label = (field: string, example: string) =>
  z
    .string({ error: `${field} must be a string` })
    .min(1, { error: `${field} should not be empty` })
    .max(200, { error: `${field} must be at most 200 characters` })
    .meta({ example });

export const SetStockSchema = z.strictObject({
  quantity: wholeNumber('quantity', 0, MAX_ON_HAND, 120).meta({ description: 'On-hand units' }),
  name: label('name', 'Espresso beans 1 kg').optional(),
});
export class SetStockDto extends createZodDto(SetStockSchema) {}

export const AdjustStockSchema = z.strictObject({
  delta: wholeNumber('delta', -MAX_ON_HAND, MAX_ON_HAND, -3)
    .refine((delta) => delta !== 0, { error: 'delta should not be equal to 0' })
    .meta({ description: 'Positive to restock, negative for shrinkage' }),
  reason: label('reason', 'damaged in transit'),
});
export class AdjustStockDto extends createZodDto(AdjustStockSchema) {}

export const OrderQuantitySchema = z.strictObject({
  orderId: z
    .string({ error: 'orderId must be a string' })
    .regex(CLIENT_ID_PATTERN, { error: 'orderId must be 1-64 of A-Z a-z 0-9 . _ -' })
    .meta({ example: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }),
  quantity: wholeNumber('quantity', 1, MAX_ON_HAND, 2),
});
export class OrderQuantityDto extends createZodDto(OrderQuantitySchema) {}

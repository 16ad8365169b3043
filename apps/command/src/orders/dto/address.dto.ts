import { z } from 'zod';

const text = (field: string, max: number, example: string, required = true) =>
  z
    .string({ error: `${field} must be a string` })
    .min(required ? 1 : 0, { error: `${field} should not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` })
    .meta({ example });

export const AddressSchema = z.strictObject({
  street: text('street', 200, '1 Main St'),
  city: text('city', 100, 'Springfield'),
  state: text('state', 100, 'IL', false),
  zipcode: text('zipcode', 20, '62701'),
  country: text('country', 100, 'US'),
});

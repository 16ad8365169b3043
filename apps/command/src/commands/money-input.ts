import { z } from 'zod';

/** A non-negative amount as a JSON number or a decimal string; exact digits are checked per currency later. */
export function moneyInput(field: string): z.ZodUnion<[z.ZodNumber, z.ZodString]> {
  return z.union([z.number().min(0), z.string().regex(/^\s*\d{1,15}(\.\d{1,3})?\s*$/)], {
    error: `${field} must be a non-negative amount such as 29.99 or "29.99"`,
  });
}

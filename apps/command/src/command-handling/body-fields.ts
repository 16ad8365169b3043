import { CLIENT_ID_PATTERN } from '@of/domain';
import { z } from 'zod';

// The field schemas the command bodies share, each with the message a client sees.

/** A client-chosen id: 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit. */
export function clientId(field: string, example: string): z.ZodString {
  return z
    .string({ error: `${field} must be a string` })
    .regex(CLIENT_ID_PATTERN, { error: `${field} must be 1-64 of A-Z a-z 0-9 . _ -` })
    .meta({ example });
}

export function wholeNumber(field: string, min: number, max: number, example: number): z.ZodNumber {
  return z
    .number({ error: `${field} must be a whole number` })
    .int({ error: `${field} must be a whole number` })
    .min(min, { error: `${field} must not be less than ${min}` })
    .max(max, { error: `${field} must not be greater than ${max}` })
    .meta({ example });
}

/** Text of at most `max` characters; empty only when `required` is false. */
export function text(field: string, max: number, example: string, required = true): z.ZodString {
  const string = z.string({ error: `${field} must be a string` });
  return (required ? string.min(1, { error: `${field} should not be empty` }) : string)
    .max(max, { error: `${field} must be at most ${max} characters` })
    .meta({ example });
}

/**
 * A non-negative amount as a JSON number or a decimal string. The digits are
 * checked per currency later (parseMoney): at most its minor digits, or within
 * a millionth of a minor unit of such an amount (a binary-floating-point sum).
 */
export function moneyInput(field: string): z.ZodUnion<[z.ZodNumber, z.ZodString]> {
  return z.union([z.number().min(0), z.string().regex(/^\s*\d{1,40}(\.\d{1,40})?\s*$/)], {
    error: `${field} must be a non-negative amount such as 29.99 or "29.99"`,
  });
}

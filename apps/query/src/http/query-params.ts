import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/**
 * A whole-number query parameter from `min` to `max`. One rule with one
 * message, so `limit=abc` and `limit=500` both say what is expected (with
 * several decorators, the first to fail would speak, e.g. "must not be
 * greater than 100" for "abc"). Only plain digits count: "1e2", "0x10" and
 * " 5" are refused rather than read the way Number() would read them.
 */
export function WholeNumberParam(min: number, max: number): PropertyDecorator {
  const toNumber = Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  );
  const inRange = ValidateBy({
    name: 'wholeNumberParam',
    validator: {
      validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
      defaultMessage: (args) => `${args?.property ?? 'value'} must be a whole number from ${min} to ${max}`,
    },
  });
  const documented = ApiPropertyOptional({ type: 'integer', minimum: min, maximum: max });
  return (target, property) => {
    toNumber(target, property);
    inRange(target, property);
    documented(target, property);
  };
}

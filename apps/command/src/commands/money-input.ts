import { registerDecorator, type ValidationOptions } from 'class-validator';

const DECIMAL = /^\d{1,15}(\.\d{1,3})?$/;

/** A non-negative amount as a JSON number or a decimal string; exact digits are checked per currency later. */
export function IsMoneyInput(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMoneyInput',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a non-negative amount such as 29.99 or "29.99"', ...options },
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' && Number.isFinite(value) && value >= 0) ||
          (typeof value === 'string' && DECIMAL.test(value.trim())),
      },
    });
}

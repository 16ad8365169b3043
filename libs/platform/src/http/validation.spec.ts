import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ValidationFailedError } from '../errors/application.errors';
import { RequestValidationPipe, zodFieldErrors } from './validation';

const Line = z.strictObject({
  productId: z.string().min(1, { error: 'productId is empty' }),
  quantity: z.int().min(1),
});
const Order = z.strictObject({ customerId: z.string(), items: z.array(Line).min(1), note: z.string().optional() });
class OrderDto extends createZodDto(Order) {}

function errorsOf(value: unknown) {
  const result = Order.safeParse(value);
  if (result.success) throw new Error('expected a validation failure');
  return zodFieldErrors(result.error);
}

describe('zodFieldErrors', () => {
  it('names nested fields as JSON paths', () => {
    expect(
      errorsOf({
        customerId: 'c',
        items: [
          { productId: 'p', quantity: 1 },
          { productId: '', quantity: 0 },
        ],
      }),
    ).toEqual([
      { field: 'items[1].productId', message: 'productId is empty' },
      { field: 'items[1].quantity', message: expect.any(String) },
    ]);
  });

  it('names each unknown property as its own field', () => {
    expect(errorsOf({ customerId: 'c', items: [{ productId: 'p', quantity: 1, extra: 1 }], $where: 'x' })).toEqual([
      { field: 'items[0].extra', message: 'property extra should not exist' },
      { field: '$where', message: 'property $where should not exist' },
    ]);
  });

  it('keeps the first issue of a field', () => {
    const Twice = z.strictObject({
      id: z.string().min(3, { error: 'too short' }).regex(/^\d+$/, { error: 'digits only' }),
    });
    const result = Twice.safeParse({ id: 'a' });
    expect(result.success ? [] : zodFieldErrors(result.error)).toEqual([{ field: 'id', message: 'too short' }]);
  });

  it('calls a body that is not an object "body"', () => {
    expect(errorsOf('text')).toEqual([{ field: 'body', message: expect.any(String) }]);
  });
});

describe('RequestValidationPipe', () => {
  const pipe = new RequestValidationPipe();
  const body = (metatype: unknown) => ({ type: 'body' as const, metatype: metatype as never, data: undefined });

  it('parses a zod DTO body and answers its failures as VALIDATION_FAILED', () => {
    const order = { customerId: 'c', items: [{ productId: 'p', quantity: 2 }] };
    expect(pipe.transform(order, body(OrderDto))).toEqual(order);
    expect(() => pipe.transform({ customerId: 'c', items: [] }, body(OrderDto))).toThrow(ValidationFailedError);
  });

  it('takes an absent body as an empty object', () => {
    try {
      pipe.transform(undefined, body(OrderDto));
      throw new Error('expected a validation failure');
    } catch (error) {
      expect((error as ValidationFailedError).errors.map((e) => e.field)).toEqual(['customerId', 'items']);
    }
  });

  it('leaves values without a DTO class to class-validator, which passes primitives through', async () => {
    await expect(pipe.transform('42', body(String))).resolves.toBe('42');
  });
});

import { type PipeTransform } from '@nestjs/common';
import { CLIENT_ID_PATTERN, UUID_PATTERN } from '@of/domain';
import { ValidationFailedError } from '@of/platform';

/** Validates a path parameter; a malformed id is a 400, a well-formed unknown one a 404 later. */
class PatternPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly pattern: RegExp,
    private readonly message: string,
  ) {}

  transform(value: string): string {
    if (!this.pattern.test(value)) throw new ValidationFailedError([{ field: this.field, message: this.message }]);
    return value.toLowerCase() === value || this.pattern !== UUID_PATTERN ? value : value.toLowerCase();
  }
}

export const OrderIdPipe = new PatternPipe('orderId', UUID_PATTERN, 'orderId must be a UUID');
export const ProductIdPipe = new PatternPipe(
  'productId',
  CLIENT_ID_PATTERN,
  'productId must be 1-64 of A-Z a-z 0-9 . _ -',
);

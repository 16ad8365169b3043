import { type PipeTransform } from '@nestjs/common';
import { CLIENT_ID_PATTERN, UUID_PATTERN } from '@of/domain';
import { ValidationFailedError } from '@of/platform';

const CLIENT_ID_RULE = 'must be 1-64 of A-Z a-z 0-9 . _ -';

/**
 * Validates an id in the path. Only a segment that can never be an id is a
 * 400; a well-formed id that names nothing is a 404 later, as clients of the
 * reference system expect (they invent ids such as `order-012`).
 */
class IdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    /** Server-made UUIDs are stored in lower case; a client may send them in upper case. */
    private readonly lowerCaseUuids: boolean,
  ) {}

  transform(value: string): string {
    if (!CLIENT_ID_PATTERN.test(value)) {
      throw new ValidationFailedError([{ field: this.field, message: `${this.field} ${CLIENT_ID_RULE}` }]);
    }
    return this.lowerCaseUuids && UUID_PATTERN.test(value) ? value.toLowerCase() : value;
  }
}

export const OrderIdPipe = new IdPipe('orderId', true);
export const ProductIdPipe = new IdPipe('productId', false);

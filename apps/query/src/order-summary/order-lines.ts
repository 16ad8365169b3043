import type { ValidEvent } from '@of/contracts';
import { addQuantities, type LineQuantities } from '@of/domain';
import { UnprocessableEventError } from '../projections/projection';

/**
 * Adds shipped or delivered quantities to the matching lines, with the
 * domain's arithmetic; an item the order does not have is an event the read
 * model cannot apply.
 */
export function addToLines<L extends LineQuantities>(
  lines: L[],
  event: ValidEvent<'OrderItemsShipped' | 'OrderItemsDelivered'>,
  field: 'shipped' | 'delivered',
): L[] {
  const { items } = event.payload;
  const unknown = items.filter((item) => !lines.some((line) => line.productId === item.productId));
  if (unknown.length > 0) {
    throw new UnprocessableEventError(
      'PROJECTION_FAILED',
      `items not in the order: ${unknown.map((item) => item.productId).join(', ')}`,
    );
  }
  return addQuantities(lines, items, field);
}

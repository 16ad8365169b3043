import type { EventEnvelope, EventPayload } from '@of/contracts';
import { UnprocessableEventError } from '../projections/projection';

export interface LineQuantities {
  productId: string;
  ordered: number;
  shipped: number;
  delivered: number;
}

/** Adds shipped or delivered quantities to the matching lines; rejects items the order does not have. */
export function addToLines<L extends LineQuantities>(
  lines: L[],
  event: EventEnvelope,
  field: 'shipped' | 'delivered',
): L[] {
  const { items } = event.payload as EventPayload<'OrderItemsShipped'>;
  const added = new Map(items.map((item) => [item.productId, item.quantity]));
  const next = lines.map((line) => {
    const quantity = added.get(line.productId);
    if (quantity === undefined) return line;
    added.delete(line.productId);
    return { ...line, [field]: line[field] + quantity };
  });
  if (added.size > 0) {
    throw new UnprocessableEventError('PROJECTION_FAILED', `items not in the order: ${[...added.keys()].join(', ')}`);
  }
  return next;
}

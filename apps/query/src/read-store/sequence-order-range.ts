import { extended } from '@of/platform';
import type { Filter } from 'mongodb';
import type { Projection, ReadModelDocument } from '../projections/projection';
import type { ServingReadModels } from '../projections/serving-read-models';
import { SEQUENCE_KEY, sequenceKey } from './sequence-key';

/** A document listed by the number its projection gives it. */
export interface NumberedDocument extends ReadModelDocument {
  seq?: number;
}

/**
 * The documents matching `filter` numbered from `from` (inclusive) to
 * `before` (exclusive), highest first, of a read model listed in sequence
 * order (see storage-layout.ts): one sorted find of at most `before - from`
 * documents, an index scan of exactly the range, whatever the list's length.
 */
export async function sequenceOrderRange<T extends NumberedDocument>(
  readModels: ServingReadModels,
  readModel: Projection<T>,
  filter: Filter<T>,
  range: { from: number; before: number },
): Promise<T[]> {
  const { from, before } = range;
  if (before <= from) return [];
  return readModels.findSorted(
    readModel,
    extended(filter, { [SEQUENCE_KEY]: { $gte: sequenceKey(from), $lt: sequenceKey(before) } }),
    { [SEQUENCE_KEY]: -1 },
    before - from,
  );
}

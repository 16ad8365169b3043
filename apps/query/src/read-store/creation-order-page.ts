import { extended } from '@of/platform';
import type { Filter } from 'mongodb';
import { CREATION_KEY, creationKey } from './creation-key';
import { page, type Page } from '../http/pagination';
import type { Projection, ReadModelDocument } from '../projections/projection';
import type { ServingReadModels } from '../projections/serving-read-models';

/** A document listed in creation order. */
export interface ListedDocument extends ReadModelDocument {
  createdAt: string;
}

/**
 * One page of a read model listed in creation order (see storage-layout.ts),
 * newest or oldest first after the cursor `[createdAt, _id]`, as the API
 * answers it: one find of `limit + 1` documents on the creation key (the one
 * more tells whether a next page follows), whatever the list's length and
 * however rare the filter's matches.
 */
export async function creationOrderPage<T extends ListedDocument, V>(
  readModels: ServingReadModels,
  readModel: Projection<T>,
  options: { filter: Filter<T>; order: 'newest' | 'oldest'; after: [string, string] | null; limit: number },
  view: (document: T) => V,
): Promise<Page<V>> {
  const { filter, order, after, limit } = options;
  const newest = order === 'newest';
  const range = after ? { [CREATION_KEY]: { [newest ? '$lt' : '$gt']: creationKey(after[0], after[1]) } } : {};
  const documents = await readModels.findSorted(
    readModel,
    extended(filter, range),
    { [CREATION_KEY]: newest ? -1 : 1 },
    limit + 1,
  );
  return page(documents, limit, view, (document) => [document.createdAt, document._id]);
}

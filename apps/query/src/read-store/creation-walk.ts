import type { Filter } from 'mongodb';
import { creationSecond } from './creation-seconds';
import { compareCreation, type CreationKey } from '../http/creation-order';
import { encodeCursor, page, type Page } from '../http/pagination';
import type { Projection, ReadModelDocument } from '../projections/projection';
import type { ProjectionsService } from '../projections/projections.service';

/** A request reads at most this many seconds; a longer walk continues with the next page. */
const MAX_SECONDS_PER_PAGE = 200;

/** A document listed in creation order. */
export interface ListedDocument extends ReadModelDocument {
  createdAt: string;
}

/**
 * One page of documents in creation order (newest or oldest first) after the
 * cursor `[createdAt, _id]`, read one second of the directory at a time. Reads
 * `limit + 1` documents when it can, so the caller knows whether more follow;
 * if the walk stops at its bound first, the returned `resumeAt` cursor goes on
 * from where it stopped.
 */
export async function walkInCreationOrder<T extends ListedDocument>(options: {
  /** The documents matching a filter, decoded (the filter may name `createdSecond`, which the read store keeps). */
  find: (filter: Filter<T>) => Promise<T[]>;
  /** Every second that has documents, ascending. */
  seconds: readonly string[];
  filter: Filter<T>;
  order: 'newest' | 'oldest';
  after: [string, string] | null;
  limit: number;
}): Promise<{ documents: T[]; resumeAt: [string, string] | null }> {
  const { seconds, order, after, limit } = options;
  const newest = order === 'newest';
  // The direction of the list: newest first walks creation order backwards.
  const compare = (a: CreationKey, b: CreationKey) => (newest ? -compareCreation(a, b) : compareCreation(a, b));
  const before = (a: T, cursor: [string, string]) => compare(a, { createdAt: cursor[0], _id: cursor[1] }) > 0;

  // Where to start: the cursor's second (it may hold more), else the end of the directory.
  const from = after ? creationSecond(after[0]) : null;
  let index: number;
  if (newest) {
    index = seconds.length - 1;
    if (from !== null) while (index >= 0 && seconds[index] > from) index -= 1;
  } else {
    index = 0;
    if (from !== null) while (index < seconds.length && seconds[index] < from) index += 1;
  }

  const documents: T[] = [];
  let read = 0;
  while (index >= 0 && index < seconds.length && documents.length <= limit) {
    if (read === MAX_SECONDS_PER_PAGE) {
      // Bounded work per request: the next page starts past the seconds read so far.
      const next = seconds[index];
      return { documents, resumeAt: newest ? [`${next}\uffff`, ''] : [next, ''] };
    }
    const found = await options.find({ ...options.filter, createdSecond: seconds[index] });
    read += 1;
    for (const document of found.sort(compare)) {
      if (!after || before(document, after)) documents.push(document);
    }
    index += newest ? -1 : 1;
  }
  return { documents, resumeAt: null };
}

/**
 * A page of a read model listed in creation order (see storage-layout.ts),
 * newest or oldest first after the cursor, as the API answers it.
 */
export async function creationOrderPage<T extends ListedDocument, V>(
  projections: ProjectionsService,
  readModel: Projection<T>,
  options: { filter: Filter<T>; order: 'newest' | 'oldest'; after: [string, string] | null; limit: number },
  view: (document: T) => V,
): Promise<Page<V>> {
  const { documents, resumeAt } = await walkInCreationOrder({
    ...options,
    find: (inSecond) => projections.find(readModel, inSecond),
    seconds: await projections.creationSeconds(),
  });
  if (resumeAt) return { success: true, data: documents.map(view), nextCursor: encodeCursor(resumeAt) };
  return page(documents, options.limit, view, (document) => [document.createdAt, document._id]);
}

import type { Collection, Filter, Sort } from 'mongodb';
import type { IdDocument } from './stored-document';

/**
 * Marks a find whose filter and sort name only fields that hold a scalar
 * string in every document (or a boolean the filter tests for equality).
 *
 * FerretDB 1.24 sorts and limits in memory, after reading every document the
 * filter matches: a page of a list would cost the whole list. The FerretDB
 * this project builds carries a patch (docs/decisions/0007) that pushes such a
 * find down to PostgreSQL whole, filter, sort and limit, where an index on the
 * filter's fields and the sort field answers it with a scan of the page. The
 * promise matters: PostgreSQL orders JSON values of other types differently
 * from MongoDB. The read store keeps it, since it writes these fields itself.
 * MongoDB ignores the comment and answers from the same indexes.
 */
export const SCALAR_FIELDS_COMMENT = 'pushdown:scalar-strings';

/** At most `limit` documents matching `filter`, in `sort` order: one indexed scan of the page. */
export async function sortedFind<T extends IdDocument>(
  collection: Collection<T>,
  filter: Filter<T>,
  sort: Sort,
  limit: number,
): Promise<T[]> {
  return (await collection.find(filter).sort(sort).limit(limit).comment(SCALAR_FIELDS_COMMENT).toArray()) as T[];
}

/**
 * The field that orders a list by creation: a document's `createdAt` and
 * `_id` as one string, which sorts as the pair does (`createdAt` is an ISO
 * 8601 instant of fixed width, and the space sorts before any character of an
 * id). One field, so that a page is a range of one index, and `_id` breaks
 * ties between documents created in the same millisecond.
 */
export const CREATION_KEY = 'creationKey';

export function creationKey(createdAt: string, id: string): string {
  return `${createdAt} ${id}`;
}

/** What every list sorts and pages by: creation time, then id for documents created in the same millisecond. */
export interface CreationKey {
  createdAt: string;
  _id: string;
}

/** Negative when `a` was created before `b` (the key of every list cursor). */
export function compareCreation(a: CreationKey, b: CreationKey): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

/**
 * `{ ...base, ...fields }` for code that runs per event, per record or per
 * request.
 *
 * Node 20's V8 builds an object literal that starts with a spread from a copy
 * of the spread object's hidden class, one that no other object shares. Each
 * key the literal then adds that `base` lacks makes yet another hidden class,
 * for this object alone: work at every call, and the class lives in the old
 * generation with what it points to until the next full collection. Objects
 * made this way by the thousand per second fill the old generation with
 * garbage, and its full collections are what a read's tail is made of
 * (docs/performance.md). `Object.assign` onto an empty object follows the
 * shared transitions instead, as does a literal that starts with a key.
 */
export function extended<B extends object, F extends object>(base: B, fields: F): Omit<B, keyof F> & F {
  return Object.assign({}, base, fields);
}

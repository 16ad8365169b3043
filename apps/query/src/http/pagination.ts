import { ValidationFailedError } from '@of/platform';

export const DEFAULT_LIMIT = 20;

/** Opaque to clients: the sort key of the last item of a page. */
export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): string[] | null {
  if (cursor === undefined) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((value) => typeof value === 'string')) {
      return values;
    }
  } catch {
    // answered below
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not a cursor this API gave out' }]);
}

export interface Page<T> {
  success: true;
  data: T[];
  nextCursor: string | null;
}

/** Reads one item more than asked to know whether there is a next page. */
export function page<D, T>(
  documents: D[],
  limit: number,
  view: (document: D) => T,
  cursorOf: (document: D) => string[],
): Page<T> {
  const items = documents.slice(0, limit);
  const last = items[items.length - 1];
  return {
    success: true,
    data: items.map(view),
    nextCursor: documents.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

import type { Document } from 'mongodb';

/** A read-model document, found by `_id`. */
export type IdDocument = Document & { _id: string };

/** The field of a stored document that holds its packed fields, as one JSON string. */
export const PACKED_FIELD = 'packed';

/**
 * How a read model's documents are stored. FerretDB 1.24 converts every field
 * of a document on its way in and out (to its own types, then to PostgreSQL
 * jsonb with a type schema per field), so a document costs by its number of
 * fields far more than by its size: an order with its lines and addresses
 * in one JSON string costs well under half of the same order field by field
 * (docs/decisions/0006). So the fields no query filters on are
 * stored packed in one string; `_id`, `version` and the queried fields stay
 * fields. Against a real MongoDB this is merely unnecessary.
 */
export interface DocumentCodec {
  encode(document: IdDocument): IdDocument;
  decode(stored: IdDocument): IdDocument;
  /** Whether a stored document has `field` as a field, so that a filter can name it. */
  stores(field: string): boolean;
}

/** Documents stored as they are. */
export const STORED_AS_IS: DocumentCodec = {
  encode: (document) => document,
  decode: (stored) => stored,
  stores: () => true,
};

/**
 * Throws if `filter` names a field that is stored packed: the server would
 * match nothing, silently.
 */
export function assertFilterable(codec: DocumentCodec, filter: object, readModel: string): void {
  for (const field of Object.keys(filter)) {
    if (!field.startsWith('$') && !codec.stores(field.split('.')[0])) {
      throw new Error(`${readModel} stores "${field}" packed: a filter cannot name it (see stored-document.ts)`);
    }
  }
}

/** Keeps `_id`, `version` and `queried` as fields, and packs all others. */
export function packingCodec<D extends { _id: string }>(queried: readonly (keyof D & string)[]): DocumentCodec {
  const kept = new Set(['_id', 'version', ...queried]);
  if (kept.has(PACKED_FIELD)) throw new Error(`a read model cannot query the field "${PACKED_FIELD}"`);
  return {
    stores: (field) => kept.has(field),
    encode(document) {
      const stored: IdDocument = { _id: document._id };
      const packed: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(document) as [string, unknown][]) {
        if (kept.has(field)) stored[field] = value;
        else packed[field] = value;
      }
      stored[PACKED_FIELD] = JSON.stringify(packed);
      return stored;
    },
    decode(stored) {
      const packed: unknown = stored[PACKED_FIELD];
      // A document written before its read model was packed has all its fields.
      if (typeof packed !== 'string') return stored;
      const { [PACKED_FIELD]: _packed, ...fields } = stored;
      return Object.assign(fields, JSON.parse(packed) as Record<string, unknown>);
    },
  };
}

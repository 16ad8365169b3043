import { extended } from '@of/platform';
import type { IndexDescription } from 'mongodb';
import type { Projection, ReadModelQueries } from '../projections/projection';
import { CREATION_KEY, creationKey } from './creation-key';
import { SEQUENCE_KEY, sequenceKey } from './sequence-key';
import { type DocumentCodec, type IdDocument, packingCodec, STORED_AS_IS } from './stored-document';

/**
 * How the read store keeps one read model, derived from the queries the read
 * model declares: which fields stay fields, which indexes exist, and which
 * collections sit beside it. A projection names what it is asked; everything
 * the server needs to answer that in proportion to a page is decided here:
 *
 * - listed in creation order: each document carries its creation key
 *   (`createdAt` and `_id` as one string, added and removed here), indexed
 *   after every prefix of the filters; a page is one sorted, limited find
 *   that the server answers with an index scan (see sorted-find.ts);
 * - listed in sequence order: the same with the sequence key (the document's
 *   `seq` at a fixed width, see sequence-key.ts);
 * - listed by `_id`: one index per filter, with `_id` after it;
 * - found by a field alone: one index on it;
 * - wide documents (lines, addresses) are packed: every field a query does not
 *   name goes into one JSON string (see stored-document.ts).
 */
export interface StorageLayout {
  codec: DocumentCodec;
  indexes: IndexDescription[];
  /** Collections kept beside the read model's own, with their indexes. */
  companions: { name: string; indexes: IndexDescription[] }[];
}

/**
 * Read models whose documents are stored packed: their documents are wide
 * (lines, addresses), and FerretDB's cost follows the number of fields
 * (decision 0006). A product's status is a handful of numbers, kept whole.
 */
const PACKED = new Set(['order_summaries', 'fulfillment_queue', 'customer_order_history']);

/**
 * Documents every partition may change (a customer's ledger): packed but for
 * `rev`, the revision their conditional writes check.
 */
export const SHARED_DOCUMENT_CODEC = packingCodec<{ _id: string; rev: number }>(['rev']);

const layouts = new WeakMap<Projection, StorageLayout>();

export function layoutOf(projection: Projection): StorageLayout {
  let layout = layouts.get(projection);
  if (!layout) layouts.set(projection, (layout = deriveLayout(projection)));
  return layout;
}

/**
 * The key a list order sorts on, when the read store adds it to each document
 * (derived from the document, and taken off again when read); a document it
 * derives none for is in no list of that order. Lists by `_id` need none.
 */
interface OrderKey {
  field: string;
  of(document: IdDocument): string | undefined;
}

const ORDER_KEYS: Record<NonNullable<ReadModelQueries['order']>, OrderKey | null> = {
  creation: { field: CREATION_KEY, of: (document) => creationKey(String(document.createdAt), document._id) },
  sequence: {
    field: SEQUENCE_KEY,
    of: (document) => (typeof document.seq === 'number' ? sequenceKey(document.seq) : undefined),
  },
  id: null,
};

function deriveLayout(projection: Projection): StorageLayout {
  const { filters = [], order, lists } = projection.queries;
  const key = order ? ORDER_KEYS[order] : null;
  const kept = key ? [...filters, key.field] : [...filters];
  const packed = PACKED.has(projection.name) ? packingCodec<IdDocument>(kept) : STORED_AS_IS;
  return {
    codec: key ? withOrderKey(packed, key) : packed,
    indexes: indexesFor(filters, order, lists),
    companions: (projection.shared ?? []).map((name) => ({ name, indexes: [] })),
  };
}

/**
 * Indexes that sorted finds scan are named `sorted_by_...`: they compare with
 * `=`, `<` and `>`, and the database setup gives them no GIN twin (see
 * scripts/infra/postgres/ferretdb-indexes.sql). The others serve finds by
 * equality alone, which FerretDB answers through a GIN index.
 */
function indexesFor(
  filters: readonly string[],
  order: ReadModelQueries['order'],
  lists: ReadModelQueries['lists'] = [[], ...filters.map((_field, i) => filters.slice(0, i + 1))],
): IndexDescription[] {
  if (!order) return filters.map((field) => ({ key: { [field]: 1 }, name: `by_${field}` }));
  const last = ORDER_KEYS[order]?.field ?? '_id';
  const sortedBy = (fields: readonly string[]): IndexDescription => ({
    key: Object.fromEntries([...fields, last].map((field) => [field, 1])),
    name: `sorted_by_${[...fields, order].join('_')}`,
  });
  // A list by `_id` alone needs none: FerretDB's own index on `_id` serves it.
  return lists.filter((fields) => fields.length > 0 || ORDER_KEYS[order] !== null).map(sortedBy);
}

/** Adds a list order's key to a stored document, and takes it off again when read. */
function withOrderKey(codec: DocumentCodec, key: OrderKey): DocumentCodec {
  return {
    stores: (field) => field === key.field || codec.stores(field),
    encode(document) {
      const value = key.of(document);
      // The order key is a field of its own, outside the document's type.
      return codec.encode(value === undefined ? document : (extended(document, { [key.field]: value }) as IdDocument));
    },
    decode(stored) {
      const { [key.field]: _key, ...document } = codec.decode(stored);
      return document as IdDocument;
    },
  };
}

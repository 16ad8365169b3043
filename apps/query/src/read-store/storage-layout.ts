import type { IndexDescription } from 'mongodb';
import type { CollectionNamer, Projection, ReadModelDocument } from '../projections/projection';
import { CREATION_SECONDS, creationSecond, recordCreationSeconds } from './creation-seconds';
import type { DocumentStore } from './document-store';
import { type DocumentCodec, type IdDocument, packingCodec, STORED_AS_IS } from './stored-document';

/**
 * How the read store keeps one read model on FerretDB 1.24, derived from the
 * queries the read model declares: which fields stay fields, which indexes
 * exist, which collections sit beside it, and what is written before its
 * documents. A projection names what it is asked; everything FerretDB needs
 * to answer that in proportion to a page is decided here:
 *
 * - listed in creation order: FerretDB sorts and range-filters in memory
 *   after reading every match, so such documents carry their creation second
 *   (`createdSecond`, added and removed here) and a directory collection holds
 *   one entry per second that has documents; a list walks it and finds one
 *   second at a time, each an indexed equality (see creation-walk.ts);
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
  /** Written before the documents, so that no document is ever out of a list's reach. */
  beforeWrite?(
    store: DocumentStore,
    collection: CollectionNamer,
    documents: readonly ReadModelDocument[],
  ): Promise<void>;
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

function deriveLayout(projection: Projection): StorageLayout {
  const { filters = [], order } = projection.queries;
  const byCreation = order === 'creation';
  const kept = byCreation ? [...filters, 'createdSecond'] : [...filters];
  const packed = PACKED.has(projection.name) ? packingCodec<IdDocument>(kept) : STORED_AS_IS;
  const indexes: IndexDescription[] =
    order === 'creation'
      ? [{ key: { createdSecond: 1 }, name: 'by_second' }]
      : order === 'id'
        ? filters.map((field) => ({ key: { [field]: 1, _id: 1 }, name: `by_${field}` }))
        : filters.map((field) => ({ key: { [field]: 1 }, name: `by_${field}` }));
  const companions = [
    ...(byCreation ? [{ name: CREATION_SECONDS, indexes: [] }] : []),
    ...(projection.shared ?? []).map((name) => ({ name, indexes: [] })),
  ];
  return {
    codec: byCreation ? withCreationSecond(packed) : packed,
    indexes,
    companions,
    beforeWrite: byCreation
      ? (store, collection, documents) =>
          recordCreationSeconds(
            store,
            collection,
            documents.map((document) => creationSecond(String((document as { createdAt?: unknown }).createdAt))),
          )
      : undefined,
  };
}

/** Adds `createdSecond` to a stored document (from its `createdAt`), and takes it off again when read. */
function withCreationSecond(codec: DocumentCodec): DocumentCodec {
  return {
    stores: (field) => field === 'createdSecond' || codec.stores(field),
    encode: (document) => codec.encode({ ...document, createdSecond: creationSecond(String(document.createdAt)) }),
    decode(stored) {
      const { createdSecond: _second, ...document } = codec.decode(stored);
      return document;
    },
  };
}

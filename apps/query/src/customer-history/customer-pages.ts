import type { OrderStatus } from '@of/domain';
import { InfrastructureError, ValidationFailedError } from '@of/platform';
import type { ProjectionsService } from '../projections/projections.service';
import type { IdDocument } from '../read-store/stored-document';
import type { CustomerOrderDocument } from './customer-history.document';
import { customerHistoryProjection } from './customer-history.projection';
import { type CustomerLedger, ENTRIES_PER_PAGE, pagesBetween } from './customer-ledger';
import { SHARED_DOCUMENT_CODEC } from '../read-store/storage-layout';
import { CUSTOMER_LEDGERS } from './customer-ledger.step';

/** The read-model schema that brought customer ledgers (see READ_MODELS_SCHEMA). */
const LEDGERS_SINCE_SCHEMA = 2;

/** A request reads at most this many pages of entries; a sparse filter then answers with a cursor to go on. */
const MAX_PAGES_PER_REQUEST = 10;

export interface CustomerOrdersPage {
  ledger: CustomerLedger;
  /** Newest first, at most `limit`. */
  entries: CustomerOrderDocument[];
  /** Where the next page starts (the number below which it reads), or null at the oldest order. */
  next: number | null;
}

/** The cursor of a page of a customer's orders: the number below which the page starts. */
export function decodeBefore(values: string[] | null, orderCount: number): number {
  if (!values) return orderCount;
  const before = Number(values[0]);
  if (!Number.isInteger(before) || before < 1 || before > orderCount) {
    throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not a cursor this API gave out' }]);
  }
  return before;
}

/** A customer's ledger in the serving generation, or null for a customer with no orders. */
export async function readLedger(projections: ProjectionsService, customerId: string): Promise<CustomerLedger | null> {
  if (projections.schema < LEDGERS_SINCE_SCHEMA) {
    // Built before ledgers existed: the rebuild started on this version's first start fills them.
    throw new InfrastructureError(
      'READ_MODEL_UNAVAILABLE',
      "Customers' orders are being rebuilt for this version of the read side; try again shortly.",
      30,
    );
  }
  const stored = await projections.collection<IdDocument>(CUSTOMER_LEDGERS).findOne({ _id: customerId });
  const ledger = stored ? (SHARED_DOCUMENT_CODEC.decode(stored) as CustomerLedger) : null;
  return ledger && ledger.orderCount > 0 ? ledger : null;
}

/**
 * A page of a customer's orders, newest first, optionally of one status:
 * reads the pages of numbered entries below `before`, one at a time, until
 * it has `limit` or has read MAX_PAGES_PER_REQUEST. The cost follows the
 * page, never the customer's history.
 */
export async function readCustomerOrders(
  projections: ProjectionsService,
  ledger: CustomerLedger,
  options: { before: number; limit: number; status?: OrderStatus },
): Promise<CustomerOrdersPage> {
  const { limit, status } = options;
  const entries: CustomerOrderDocument[] = [];
  let before = options.before;
  for (let pages = 0; before > 0 && entries.length < limit && pages < MAX_PAGES_PER_REQUEST; pages += 1) {
    const from = Math.max(0, before - (limit - entries.length), before - ENTRIES_PER_PAGE * 2);
    const wanted = (await pagesOf(projections, ledger._id, from, before))
      .filter((entry) => entry.seq! >= from && entry.seq! < before && (!status || entry.status === status))
      .sort((a, b) => b.seq! - a.seq!);
    entries.push(...wanted);
    before = from;
  }
  return { ledger, entries: entries.slice(0, limit), next: before > 0 ? before : null };
}

async function pagesOf(
  projections: ProjectionsService,
  customerId: string,
  from: number,
  to: number,
): Promise<CustomerOrderDocument[]> {
  const found = await Promise.all(
    pagesBetween(customerId, from, to).map((page) => projections.find(customerHistoryProjection, { page })),
  );
  return found.flat().filter((entry) => entry.seq !== undefined);
}

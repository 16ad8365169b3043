import { InfrastructureError, ValidationFailedError } from '@of/platform';
import type { ServingReadModels } from '../projections/serving-read-models';
import type { CustomerOrderDocument } from './customer-history.document';
import { customerHistoryProjection } from './customer-history.projection';
import type { CustomerLedger } from './customer-ledger';
import { sequenceOrderRange } from '../read-store/sequence-order-range';
import { CUSTOMER_LEDGERS } from './customer-ledger.step';

/**
 * The read-model schema since which history entries are listed by sequence
 * key, beside the customer ledgers (2) they are numbered by (see READ_MODELS_SCHEMA).
 */
const SEQUENCE_KEYS_SINCE_SCHEMA = 4;

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

/**
 * A customer's ledger in the serving generation, or null for a customer with
 * no orders (from the engine's cache when it holds it, see ServingReadModels.getShared).
 */
export async function readLedger(readModels: ServingReadModels, customerId: string): Promise<CustomerLedger | null> {
  if (readModels.schema < SEQUENCE_KEYS_SINCE_SCHEMA) {
    // Built before entries had sequence keys: the rebuild started on this version's first start writes them.
    throw new InfrastructureError(
      'READ_MODEL_UNAVAILABLE',
      "Customers' orders are being rebuilt for this version of the read side; try again shortly.",
      30,
    );
  }
  const ledger = await readModels.getShared<CustomerLedger>(CUSTOMER_LEDGERS, customerId);
  return ledger && ledger.orderCount > 0 ? ledger : null;
}

/**
 * A page of a customer's orders, newest first: the `limit` entries numbered
 * below `before`, one sorted find of exactly that range. The cost follows the
 * page, never the customer's history.
 */
export async function readCustomerOrders(
  readModels: ServingReadModels,
  ledger: CustomerLedger,
  options: { before: number; limit: number },
): Promise<CustomerOrdersPage> {
  const { before, limit } = options;
  const from = Math.max(0, before - limit);
  const entries = await sequenceOrderRange(
    readModels,
    customerHistoryProjection,
    { customerId: ledger._id },
    { from, before },
  );
  return { ledger, entries, next: from > 0 ? from : null };
}

import { extended } from '@of/platform';
import { compareCreation } from '../http/creation-order';
import type { BatchStep, FoldedBatch } from '../projections/projection';
import type { CustomerOrderDocument } from './customer-history.document';
import { type CustomerLedger, emptyLedger, evolveLedger } from './customer-ledger';

/** The collection of customer ledgers, beside the history entries. */
export const CUSTOMER_LEDGERS = 'customer_ledgers';

/**
 * A batch holds several partitions in no particular order of time; within
 * it, a customer's new orders take the numbers the ledger gave them in order
 * of creation (then id), so the numbering does not depend on how the
 * partitions were interleaved when they were read.
 */
function renumberByCreation(numbers: Map<string, number>, documents: ReadonlyMap<string, CustomerOrderDocument>): void {
  const byCustomer = new Map<string, { orderId: string; createdAt: string; seq: number }[]>();
  for (const [orderId, seq] of numbers) {
    const { customerId, createdAt } = documents.get(orderId)!;
    const orders = byCustomer.get(customerId) ?? [];
    orders.push({ orderId, createdAt, seq });
    byCustomer.set(customerId, orders);
  }
  for (const orders of byCustomer.values()) {
    const seqs = orders.map((order) => order.seq).sort((a, b) => a - b);
    orders.sort((a, b) =>
      compareCreation({ createdAt: a.createdAt, _id: a.orderId }, { createdAt: b.createdAt, _id: b.orderId }),
    );
    orders.forEach((order, index) => numbers.set(order.orderId, seqs[index]));
  }
}

/** The events that can change a ledger (see evolveLedger). */
const COUNTED = new Set(['OrderCreated', 'OrderCancelled', 'OrderStatusUpdated']);

const NOTHING: BatchStep<CustomerOrderDocument> = { complete: () => null, written: () => Promise.resolve() };

/**
 * Keeps the customers' ledgers in step with a batch of history entries:
 * reads the ledgers of the customers the batch registers or cancels orders
 * of, applies the events they have not applied yet, numbers the new orders,
 * and writes the ledgers once the entries are written.
 *
 * Entries first, ledgers second: a crash in between leaves entries whose
 * numbers no ledger counts yet (invisible, since a page shows only numbers
 * below the count), and the batch comes again: the ledger, still without
 * those offsets, numbers the same orders again, and the entries are
 * rewritten with those numbers. Another writer of the same ledger (another
 * instance after a rebalance) makes the conditional write fail, and the
 * batch is applied again from what is there.
 */
export async function customerLedgerStep(
  batch: FoldedBatch<CustomerOrderDocument>,
): Promise<BatchStep<CustomerOrderDocument>> {
  const counted = batch.events.filter(({ envelope }) => COUNTED.has(envelope!.eventType));
  const customers = new Set<string>();
  for (const event of counted) {
    const entry = batch.documents.get(event.envelope!.aggregateId);
    if (entry) customers.add(entry.customerId);
  }
  if (customers.size === 0) return NOTHING;

  const shared = batch.shared(batch.collection(CUSTOMER_LEDGERS));
  const read = await shared.read<CustomerLedger>([...customers]);
  const ledgers = new Map([...customers].map((id) => [id, read.get(id)?.document ?? emptyLedger(id)]));
  const changed = new Set<string>();
  const numbers = new Map<string, number>();
  for (const { topic, partition, offset, envelope, retryOf } of counted) {
    const entry = batch.documents.get(envelope!.aggregateId);
    if (!entry) continue;
    const change = evolveLedger(ledgers.get(entry.customerId)!, {
      source: retryOf === undefined ? `${topic}/${partition}` : `dead-letter/${retryOf}`,
      offset,
      envelope: envelope!,
      order: entry,
    });
    if (!change) continue;
    ledgers.set(entry.customerId, change.ledger);
    changed.add(entry.customerId);
    if (change.assigned) numbers.set(change.assigned.orderId, change.assigned.seq);
  }
  renumberByCreation(numbers, batch.documents);

  return {
    complete(document) {
      const seq = numbers.get(document._id);
      if (seq === undefined) return null;
      return document.seq === seq ? null : extended(document, { seq });
    },
    written() {
      return shared.stage(
        // The stage sets each revision, from what the server holds when it is staged.
        [...changed].map((id) => ({ document: ledgers.get(id)!, expected: read.get(id)?.expected ?? 0 })),
      );
    },
  };
}

import type { ValidEvent } from '@of/contracts';

/**
 * A customer's summary, kept as events arrive: the order count, the total
 * spent per currency (cancelled orders excluded) and the last order time.
 * It also numbers the customer's orders in the order it counted them (0, 1,
 * 2, ...): a page of history reads this summary and the entries numbered in
 * its range (one sorted find), whatever the customer's size.
 *
 * One summary takes events from every partition of the order topic (a
 * customer's orders are spread over them), so it cannot rely on aggregate
 * versions to apply each event once. It remembers instead the last offset it
 * applied from each partition: events of one partition arrive in offset
 * order, so an event at or below that offset was applied already. The
 * offsets and the totals are one document, written at once, so a crash can
 * never leave one without the other.
 */
export interface CustomerLedger {
  _id: string;
  /** Bumped on every write: a write is conditional on the revision it read. */
  rev: number;
  orderCount: number;
  /** Per currency: minor units spent and the orders counted in it; cancelled orders excluded. */
  spent: Record<string, { minor: number; orders: number }>;
  lastOrderAt: string | null;
  /**
   * Per `topic/partition`, the offset of the last event applied (as a
   * decimal string); per `dead-letter/<id>`, a dead letter applied by an
   * operator after its partition had moved on.
   */
  applied: Record<string, string>;
}

export function emptyLedger(customerId: string): CustomerLedger {
  return { _id: customerId, rev: 0, orderCount: 0, spent: {}, lastOrderAt: null, applied: {} };
}

/** An event as the ledger sees it: where it was read, and the order facts it needs. */
export interface LedgerEvent {
  /** `topic/partition` */
  source: string;
  offset: string;
  envelope: ValidEvent;
  /** The order's currency and total, for a cancellation (from its history entry). */
  order: { currency: string; totalMinor: number };
}

/** Whether the ledger has applied this event already (see CustomerLedger). */
export function alreadyApplied(ledger: CustomerLedger, source: string, offset: string): boolean {
  const last = ledger.applied[source];
  return last !== undefined && BigInt(offset) <= BigInt(last);
}

export interface LedgerChange {
  ledger: CustomerLedger;
  /** The number given to an order this event registered. */
  assigned?: { orderId: string; seq: number };
}

/**
 * The ledger after one event of the customer's orders, or null when the
 * event changes nothing here (applied already, or a kind the ledger ignores).
 * What an event adds or takes away follows from the event itself and the
 * order's fixed facts, never from the entry's current state, which a
 * redelivery may find ahead of the event.
 */
export function evolveLedger(ledger: CustomerLedger, event: LedgerEvent): LedgerChange | null {
  const { source, offset, envelope, order } = event;
  if (alreadyApplied(ledger, source, offset)) return null;
  const applied = { ...ledger.applied, [source]: offset };
  if (envelope.eventType === 'OrderCreated') {
    const createdAt = envelope.occurredAt;
    return {
      ledger: {
        ...ledger,
        applied,
        orderCount: ledger.orderCount + 1,
        spent: spend(ledger.spent, order, 1),
        lastOrderAt: ledger.lastOrderAt === null || createdAt > ledger.lastOrderAt ? createdAt : ledger.lastOrderAt,
      },
      assigned: { orderId: envelope.aggregateId, seq: ledger.orderCount },
    };
  }
  const cancelled = cancellation(envelope);
  // An event that changes nothing here need not be remembered: a later one's offset is higher.
  if (cancelled === 0) return null;
  return { ledger: { ...ledger, applied, spent: spend(ledger.spent, order, cancelled === 1 ? -1 : 1) } };
}

/** 1 when the event cancels the order, -1 when it takes a cancellation back, else 0. */
function cancellation(envelope: ValidEvent): 1 | -1 | 0 {
  if (envelope.eventType === 'OrderCancelled') return 1;
  if (envelope.eventType !== 'OrderStatusUpdated') return 0;
  const { previousStatus, status } = envelope.payload;
  if (status === 'CANCELLED' && previousStatus !== 'CANCELLED') return 1;
  if (previousStatus === 'CANCELLED' && status !== 'CANCELLED') return -1;
  return 0;
}

/** Adds (or with -1 takes away) an order's total; a currency with no live order left is dropped. */
function spend(spent: CustomerLedger['spent'], order: LedgerEvent['order'], sign: 1 | -1): CustomerLedger['spent'] {
  const current = spent[order.currency] ?? { minor: 0, orders: 0 };
  const next = {
    ...spent,
    [order.currency]: { minor: current.minor + sign * order.totalMinor, orders: current.orders + sign },
  };
  if (next[order.currency].orders === 0) delete next[order.currency];
  return next;
}

/** Minor units spent per currency, as the API shows them. */
export function spentMinor(ledger: CustomerLedger): Record<string, number> {
  return Object.fromEntries(Object.entries(ledger.spent).map(([currency, { minor }]) => [currency, minor]));
}

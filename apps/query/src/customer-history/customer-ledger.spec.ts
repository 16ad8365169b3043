import type { OrderStatus } from '@of/domain';
import type { ValidEvent } from '@of/contracts';
import { envelope, orderCreated } from '../../test/events.fixture';
import { type CustomerLedger, emptyLedger, evolveLedger, type LedgerEvent, spentMinor } from './customer-ledger';

const ORDER = { currency: 'EUR', totalMinor: 2550 };

/** Events as read: from a partition, at an offset. */
function at(source: string, offset: number, event: ValidEvent, order = ORDER): LedgerEvent {
  return { source, offset: String(offset), envelope: event, order };
}

/** Given these events, the ledger and the numbers it gave out. */
function given(events: LedgerEvent[]): { ledger: CustomerLedger; numbers: Record<string, number> } {
  let ledger = emptyLedger('c1');
  const numbers: Record<string, number> = {};
  for (const event of events) {
    const change = evolveLedger(ledger, event);
    if (!change) continue;
    ledger = change.ledger;
    if (change.assigned) numbers[change.assigned.orderId] = change.assigned.seq;
  }
  return { ledger, numbers };
}

describe('a customer ledger', () => {
  const cancelled = (orderId: string, version = 2) =>
    envelope('OrderCancelled', orderId, version, { orderId, reason: null });

  it('counts orders, spends per currency and numbers them in the order it counts them', () => {
    const o1 = orderCreated('o1', 'c1');
    const o2 = orderCreated('o2', 'c1', 'USD');
    const { ledger, numbers } = given([
      at('orders/0', 10, o1),
      at('orders/3', 4, o2, { currency: 'USD', totalMinor: 990 }),
    ]);
    expect(ledger).toMatchObject({
      orderCount: 2,
      lastOrderAt: o2.occurredAt,
      applied: { 'orders/0': '10', 'orders/3': '4' },
    });
    expect(spentMinor(ledger)).toEqual({ EUR: 2550, USD: 990 });
    expect(numbers).toEqual({ o1: 0, o2: 1 });
  });

  it('counts a cancelled order but spends nothing on it, and forgets a currency with no order left', () => {
    const { ledger } = given([at('orders/0', 1, orderCreated('o1', 'c1')), at('orders/0', 2, cancelled('o1'))]);
    expect(ledger.orderCount).toBe(1);
    expect(spentMinor(ledger)).toEqual({});
  });

  it('takes a cancellation by status update too, and gives it back if the status leaves CANCELLED', () => {
    const status = (previousStatus: OrderStatus, to: OrderStatus, version: number) =>
      envelope('OrderStatusUpdated', 'o1', version, { orderId: 'o1', previousStatus, status: to });
    const cancelledByStatus = given([
      at('p/0', 1, orderCreated('o1', 'c1')),
      at('p/0', 2, status('REGISTERED', 'CANCELLED', 2)),
    ]);
    expect(spentMinor(cancelledByStatus.ledger)).toEqual({});
    const back = given([
      at('p/0', 1, orderCreated('o1', 'c1')),
      at('p/0', 2, status('REGISTERED', 'CANCELLED', 2)),
      at('p/0', 3, status('CANCELLED', 'REGISTERED', 3)),
    ]);
    expect(spentMinor(back.ledger)).toEqual({ EUR: 2550 });
  });

  it('applies an event once: a redelivery at or below the last offset of its partition changes nothing', () => {
    const o1 = at('orders/0', 7, orderCreated('o1', 'c1'));
    const once = given([o1]);
    expect(evolveLedger(once.ledger, o1)).toBeNull();
    expect(evolveLedger(once.ledger, { ...o1, offset: '6' })).toBeNull();
    const twice = given([o1, o1, at('orders/0', 8, cancelled('o1')), at('orders/0', 8, cancelled('o1'))]);
    expect(twice.ledger.orderCount).toBe(1);
    expect(spentMinor(twice.ledger)).toEqual({});
  });

  it('keeps offsets per partition: a low offset of another partition is new', () => {
    const { ledger } = given([
      at('orders/0', 900, orderCreated('o1', 'c1')),
      at('orders/1', 3, orderCreated('o2', 'c1')),
    ]);
    expect(ledger.orderCount).toBe(2);
  });

  it('compares offsets as numbers, not as text', () => {
    const { ledger } = given([
      at('orders/0', 9, orderCreated('o1', 'c1')),
      at('orders/0', 10, orderCreated('o2', 'c1')),
    ]);
    expect(ledger.orderCount).toBe(2);
  });

  it('ignores shipments and deliveries: they leave no offset to remember', () => {
    const { ledger } = given([at('orders/0', 1, orderCreated('o1', 'c1'))]);
    const shipped = envelope('OrderItemsShipped', 'o1', 2, { orderId: 'o1', items: [] });
    expect(evolveLedger(ledger, at('orders/0', 2, shipped))).toBeNull();
  });

  it('numbers the same orders the same way when a batch comes again on the same ledger', () => {
    const batch = [at('orders/0', 1, orderCreated('a', 'c1')), at('orders/2', 1, orderCreated('b', 'c1'))];
    expect(given(batch).numbers).toEqual(given(batch).numbers);
  });
});

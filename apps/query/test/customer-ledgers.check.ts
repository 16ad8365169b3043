import type { CustomerOrderDocument } from '../src/customer-history/customer-history.document';
import { type CustomerLedger, spentMinor } from '../src/customer-history/customer-ledger';

/**
 * What is wrong with the customers' ledgers, given every history entry: each
 * ledger must equal a fold of its customer's entries (count, spent per
 * currency without cancelled orders, last order time), and number the
 * customer's orders 0..count-1, each once. Empty when all
 * is well.
 */
export function ledgerProblems(
  entries: readonly CustomerOrderDocument[],
  ledgers: readonly CustomerLedger[],
): string[] {
  const problems: string[] = [];
  const byCustomer = new Map<string, CustomerOrderDocument[]>();
  for (const entry of entries) {
    const mine = byCustomer.get(entry.customerId) ?? [];
    mine.push(entry);
    byCustomer.set(entry.customerId, mine);
  }
  const ledgerOf = new Map(ledgers.map((ledger) => [ledger._id, ledger]));
  for (const [customerId, mine] of byCustomer) {
    const ledger = ledgerOf.get(customerId);
    if (!ledger) {
      problems.push(`${customerId}: ${mine.length} entries, no ledger`);
      continue;
    }
    const spent: Record<string, number> = {};
    for (const entry of mine) {
      if (entry.status !== 'CANCELLED') spent[entry.currency] = (spent[entry.currency] ?? 0) + entry.totalMinor;
    }
    const last = mine
      .map((entry) => entry.createdAt)
      .sort()
      .at(-1);
    const expected = { orderCount: mine.length, spent, lastOrderAt: last };
    const actual = { orderCount: ledger.orderCount, spent: spentMinor(ledger), lastOrderAt: ledger.lastOrderAt };
    if (JSON.stringify(sorted(actual)) !== JSON.stringify(sorted(expected))) {
      problems.push(`${customerId}: ledger ${JSON.stringify(actual)}, entries fold to ${JSON.stringify(expected)}`);
    }
    const numbers = mine.map((entry) => entry.seq).sort((a, b) => (a ?? -1) - (b ?? -1));
    if (numbers.some((seq, index) => seq !== index)) {
      problems.push(`${customerId}: entries numbered ${JSON.stringify(numbers)}, not 0..${mine.length - 1} once each`);
    }
  }
  for (const ledger of ledgers) {
    if (!byCustomer.has(ledger._id) && ledger.orderCount > 0)
      problems.push(`${ledger._id}: ledger counts ${ledger.orderCount} orders, no entries`);
  }
  return problems;
}

function sorted(value: { orderCount: number; spent: Record<string, number>; lastOrderAt?: string | null }) {
  return { ...value, spent: Object.fromEntries(Object.entries(value.spent).sort()) };
}

import { type Row, verdict } from './figures-table';
import { QUERY_KINDS, type QueriesFigures } from './queries.bench';

/** The p99 every query must keep at the bench's rate, whatever the history behind it. */
const P99_GOAL_MS = 25;
/** How far the largest stack's p99 may be from the smallest's. */
const SAME_WITHIN = 0.2;

export function queriesRows(q: QueriesFigures): Row[] {
  const rows: Row[] = [];
  for (const stack of q.stacks) {
    rows.push({
      figure: `read side of ${stack.orders} orders (one customer ${stack.bigCustomerOrders})`,
      value: `${stack.events} events`,
      ceiling: `projected in ${stack.projectSeconds} s`,
      goal: '-',
      verdict: '-',
    });
    for (const kind of QUERY_KINDS) {
      const result = stack.results[kind];
      if (!result) continue;
      const served = result.requestsPerSecond >= q.rate * 0.95;
      const clean = result.non2xx + result.errors === 0;
      rows.push({
        figure: `  ${kind} at ${q.rate}/s, p50 / p99 (ms)`,
        value: `${result.p50} / ${result.p99}`,
        ceiling:
          `${result.requestsPerSecond}/s served, ${result.non2xx + result.errors} errors` +
          (result.cpuMsPerRequest === undefined
            ? ''
            : `, ${result.cpuMsPerRequest.toFixed(2)} ms of CPU per request (machine ${Math.round((result.busy ?? 0) * 100)} % busy)`),
        // A p99 at a lower rate than asked would flatter: the rate must be served too.
        goal: `p99 <= ${P99_GOAL_MS}, ${q.rate}/s served, no errors`,
        verdict: verdict(result.p99 <= P99_GOAL_MS && served && clean),
      });
    }
  }
  const largest = q.stacks.reduce((a, b) => (b.orders > a.orders ? b : a), q.stacks[0]);
  const smallest = q.stacks.reduce((a, b) => (b.orders < a.orders ? b : a), q.stacks[0]);
  if (largest && smallest && largest !== smallest) {
    for (const kind of QUERY_KINDS) {
      const big = largest.results[kind];
      const small = smallest.results[kind];
      if (!big || !small) continue;
      rows.push({
        figure: `  ${kind}: p99 on ${largest.orders} against ${smallest.orders} orders`,
        value: `${big.p99} / ${small.p99} ms`,
        ceiling: '-',
        goal: `within ${SAME_WITHIN * 100} %`,
        // Below a millisecond's resolution, a difference is not one.
        verdict: verdict(Math.abs(big.p99 - small.p99) <= Math.max(1, SAME_WITHIN * small.p99)),
      });
    }
  }
  return rows;
}

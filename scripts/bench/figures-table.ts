import { COMPONENTS, type CpuUsage, perUnit } from './cpu-usage';
import type { CommandsFigures } from './commands.bench';
import type { FreshnessFigures } from './freshness.bench';
import type { HistoryFigures } from './history.bench';
import type { RebuildFigures } from './rebuild.bench';
import type { RecoveryFigures } from './recovery.bench';
import type { SoakFigures } from './soak.bench';

/*
 * What `make bench` prints: one row per figure, beside the ceiling measured
 * in the same run, its goal and whether it was met. One function per section
 * turns its figures into rows.
 */

export interface Row {
  figure: string;
  value: string;
  ceiling: string;
  goal: string;
  verdict: 'met' | 'MISSED' | '-';
}

export const verdict = (ok: boolean): Row['verdict'] => (ok ? 'met' : 'MISSED');

/** `batch` when every service ran under it, else each service's policies. */
function servicePolicies(policies: CpuUsage['policies']): string {
  const services = COMPONENTS.filter((component) => component !== 'bench client' && component !== 'other');
  const named = services
    .filter((component) => policies[component] !== undefined)
    .map((component) => [component, (policies[component] ?? []).join('+')] as const);
  const distinct = new Set(named.map(([, policy]) => policy));
  return distinct.size === 1
    ? [...distinct][0]
    : named.map(([component, policy]) => `${component} ${policy}`).join(', ');
}

export function stolenPercent(usage: CpuUsage): number {
  return Math.round(usage.stolen * 1000) / 10;
}

export function commandsRows(c: CommandsFigures): Row[] {
  const rows: Row[] = [];
  rows.push(
    {
      // The Kafka figures are context, not a goal: a raw producer has the
      // machine to itself, the system shares two cores among all its parts.
      figure: 'registrations/s (gateway, c=64)',
      value: String(c.registrations.requestsPerSecond),
      ceiling: `trivial ${c.trivialCeiling.requestsPerSecond}/s; Kafka, two producers pipelined ${c.kafkaCeiling.commandsPerSecond}/s`,
      goal: '>= 2000',
      verdict: verdict(c.registrations.requestsPerSecond >= 2000),
    },
    {
      figure: '  against one raw producer',
      value: `${Math.round((100 * c.registrations.requestsPerSecond) / c.kafkaOneProducer.commandsPerSecond)} %`,
      ceiling: `Kafka, one producer back to back: ${c.kafkaOneProducer.commandsPerSecond}/s (${c.kafkaOneProducer.transactionsPerSecond} transactions/s)`,
      goal: '-',
      verdict: '-',
    },
    {
      figure: 'registration latency p50 / p99 (ms)',
      value: `${c.registrations.p50} / ${c.registrations.p99}`,
      ceiling: `trivial ${c.trivialCeiling.p50} / ${c.trivialCeiling.p99}`,
      goal: 'p99 <= 50',
      verdict: verdict(c.registrations.p99 <= 50),
    },
    {
      figure: 'registration errors (non-2xx + failed)',
      value: String(c.registrations.non2xx + c.registrations.errors),
      ceiling: '-',
      goal: '0',
      verdict: verdict(c.registrations.non2xx + c.registrations.errors === 0),
    },
    {
      figure: 'group commit: commands / events per transaction',
      value: `${c.commandsPerTransaction.toFixed(1)} / ${c.kafkaCeiling.eventsPerTransaction}`,
      ceiling: `raw producers (two, pipelined) ${c.kafkaCeiling.transactionsPerSecond} transactions/s`,
      goal: '-',
      verdict: '-',
    },
  );
  rows.push({
    figure: 'snapshot rounds ended in the window',
    value: `${c.snapshots.rounds} (${c.snapshots.records} entries in ${c.snapshots.seconds.toFixed(1)} s)`,
    ceiling: 'the window is one snapshot interval: the CPU figures carry about one round',
    goal: '-',
    verdict: '-',
  });
  if (c.cpu) {
    // The profile behind the throughput figure: with every part on the same
    // cores, cores / (CPU per registration) bounds registrations/s.
    const { parts, totalMs } = perUnit(c.cpu, c.registrations.requests);
    const bound = Math.round((c.cpu.cores * 1000) / totalMs);
    rows.push({
      figure: 'CPU per registration (ms), all processes',
      value: totalMs.toFixed(2),
      ceiling:
        `machine ${Math.round(c.cpu.busy * 100)} % busy on ${c.cpu.cores} cores (${stolenPercent(c.cpu)} % stolen ` +
        `by the hypervisor): at most ${bound}/s at this cost`,
      goal: '-',
      verdict: '-',
    });
    for (const [component, ms] of parts) {
      rows.push({ figure: `  of which ${component}`, value: ms.toFixed(3), ceiling: '-', goal: '-', verdict: '-' });
    }
    rows.push({
      figure: 'read side caught up after the load (s)',
      value: c.catchUp.seconds.toFixed(1),
      ceiling: `${c.catchUp.lagAtEnd} events left to project when the load ended`,
      goal: '-',
      verdict: '-',
    });
    if (c.catchUp.cpu) {
      const whole = perUnit(c.catchUp.cpu, c.registrations.requests);
      rows.push({
        figure: 'CPU per registration with the catch-up (ms)',
        value: whole.totalMs.toFixed(2),
        ceiling: `at most ${Math.round((c.catchUp.cpu.cores * 1000) / whole.totalMs)}/s sustained, read side included`,
        goal: '-',
        verdict: '-',
      });
    }
    rows.push({
      figure: 'scheduling policy of the services',
      value: servicePolicies(c.cpu.policies),
      ceiling: 'scripts/stack.sh starts them under SCHED_BATCH (OF_SCHED_POLICY=other: the default policy)',
      goal: '-',
      verdict: '-',
    });
  }
  return rows;
}

export function freshnessRows(f: FreshnessFigures, cpu: CpuUsage | undefined): Row[] {
  const rows: Row[] = [];
  rows.push({
    figure: `freshness at ${f.rate}/s, p50 / p99 (ms)`,
    value: `${f.p50} / ${f.p99}`,
    ceiling:
      `${f.acknowledged}/${f.sent} acknowledged, ${f.stale} stale, ${f.failed} failed, max ${f.max} ms` +
      (cpu ? `; machine ${Math.round(cpu.busy * 100)} % busy, ${stolenPercent(cpu)} % stolen` : ''),
    goal: 'p99 <= 250',
    verdict: verdict(f.p99 <= 250 && f.stale === 0 && f.failed === 0),
  });
  if (cpu) {
    // The CPU window spans the warm-up too, so its registrations count here.
    const { parts, totalMs } = perUnit(cpu, f.sent + f.warmupSent);
    rows.push({
      figure: '  CPU per registration + read (ms)',
      value: totalMs.toFixed(2),
      ceiling: parts.map(([component, ms]) => `${component} ${ms.toFixed(2)}`).join(', '),
      goal: '-',
      verdict: '-',
    });
  }
  return rows;
}

export function rebuildRows(r: RebuildFigures): Row[] {
  const rows: Row[] = [];
  rows.push(
    {
      figure: `rebuild of ${r.events} events (events/s)`,
      value: String(r.eventsPerSecond),
      ceiling: `raw bulk upserts of the same documents (${r.upsertSample} timed): ${r.upsertCeilingEventsPerSecond}/s`,
      goal: `>= 70 % of ceiling (${Math.round(r.upsertCeilingEventsPerSecond * 0.7)})`,
      verdict: verdict(r.eventsPerSecond >= r.upsertCeilingEventsPerSecond * 0.7),
    },
    {
      figure: 'rebuild against the stricter ceiling (events/s)',
      value: String(r.eventsPerSecond),
      ceiling: `raw bulk inserts of the ${r.documents} documents: ${r.ceilingEventsPerSecond}/s`,
      goal: `>= 70 % of ceiling (${Math.round(r.ceilingEventsPerSecond * 0.7)})`,
      verdict: verdict(r.eventsPerSecond >= r.ceilingEventsPerSecond * 0.7),
    },
  );
  return rows;
}

export function recoveryRows(r: RecoveryFigures): Row[] {
  const rows: Row[] = [];
  rows.push(
    {
      figure: `state store rebuilt from ${r.events} events (events/s)`,
      value: String(r.eventsPerSecond),
      ceiling: `Kafka read alone ${r.readCeilingEventsPerSecond}/s (${Math.round((100 * r.eventsPerSecond) / r.readCeilingEventsPerSecond)} %); ready after ${r.readyMs} ms, ${r.aggregates} aggregates; only a start without its state store does this`,
      goal: '-',
      verdict: '-',
    },
    {
      figure: 'command app memory after the rebuild (MiB)',
      value: String(Math.round(r.rssBytes / 2 ** 20)),
      ceiling: `${Math.round(r.baselineRssBytes / 2 ** 20)} MiB on empty topics`,
      goal: '-',
      verdict: '-',
    },
  );
  return rows;
}

export function historyRows(h: HistoryFigures): Row[] {
  const rows: Row[] = [];
  rows.push(
    {
      figure: `restart to ready, ${h.events} events of history (ms)`,
      value: String(h.restart.readyMs),
      ceiling: `first start ${h.first.readyMs} ms; ${h.orders} orders, ${h.finishedOrders} finished`,
      goal: '<= 5000',
      verdict: verdict(h.restart.readyMs <= 5000),
    },
    {
      figure: 'command app memory after the restart (MiB)',
      value: String(Math.round(h.restart.rssBytes / 2 ** 20)),
      ceiling: `after the first start ${Math.round(h.first.rssBytes / 2 ** 20)} MiB`,
      goal: '<= 500',
      verdict: verdict(h.restart.rssBytes <= 500 * 2 ** 20),
    },
  );
  return rows;
}

/** The rate the soak's goals are set at (issue #28). */
const SOAK_GOAL_RATE = 1000;

export function soakRows(s: SoakFigures): Row[] {
  const rows: Row[] = [];
  const first = s.rss[0]?.bytes ?? 0;
  const last = s.rss[s.rss.length - 1]?.bytes ?? 0;
  rows.push(
    {
      // A run at a lower rate (--soak-rate) judges the rest at that rate, and says so here.
      figure: 'soak: order lifecycles per second, fixed',
      value: String(s.rate),
      ceiling: `for ${s.seconds} s, open loop`,
      goal: `>= ${SOAK_GOAL_RATE}`,
      verdict: verdict(s.rate >= SOAK_GOAL_RATE),
    },
    {
      figure: `soak: memory slope after ${s.warmupSeconds} s, the app's own (MiB/min)`,
      value: String(s.anonymousSlopeMiBPerMinute),
      ceiling: `command app ${Math.round((s.rss[0]?.anonymous ?? 0) / 2 ** 20)} -> ${Math.round((s.rss[s.rss.length - 1]?.anonymous ?? 0) / 2 ** 20)} MiB of its own (anonymous) over ${s.seconds} s`,
      goal: '<= 1',
      verdict: verdict(s.anonymousSlopeMiBPerMinute <= 1),
    },
    {
      figure: '  with the state store file pages mapped in (MiB/min)',
      value: String(s.slopeMiBPerMinute),
      ceiling: `RSS ${Math.round(first / 2 ** 20)} -> ${Math.round(last / 2 ** 20)} MiB: the store grows with the orders kept; its pages are page cache the kernel can take back`,
      goal: '-',
      verdict: '-',
    },
    {
      figure: 'soak: errors / lifecycles unfinished a minute after the end',
      value: `${s.errors} / ${s.unfinished}`,
      ceiling: `${s.commands} commands in ${s.lifecycles} lifecycles`,
      goal: '0 / 0',
      verdict: verdict(s.errors === 0 && s.unfinished === 0),
    },
    {
      figure: 'soak: freshness p50 / p99 (ms)',
      value: `${s.freshnessP50} / ${s.freshnessP99}`,
      ceiling: `${s.stale} reads did not see the version within 3 s`,
      goal: 'p99 <= 250',
      verdict: verdict(s.freshnessP99 <= 250 && s.stale === 0),
    },
    {
      // The changelog's price: context without a goal (compaction keeps one record per aggregate).
      figure: 'Kafka bytes on disk: snapshot changelog / events',
      value: s.kafkaBytes
        ? `${Math.round((100 * s.kafkaBytes.snapshots) / Math.max(1, s.kafkaBytes.events))} %`
        : 'not measured',
      ceiling: s.kafkaBytes
        ? `${Math.round(s.kafkaBytes.snapshots / 2 ** 20)} MiB beside ${Math.round(s.kafkaBytes.events / 2 ** 20)} MiB of events, at the end`
        : 'the broker is not the local stack',
      goal: '-',
      verdict: '-',
    },
  );
  return rows;
}

/** The rows about the run itself: stolen CPU and the machine's speed. */
export function runRows(run: CpuUsage | undefined, machineSpeed: { startMs: number; endMs: number }): Row[] {
  const rows: Row[] = [];
  if (run) {
    rows.push({
      figure: 'CPU stolen by the hypervisor (%)',
      value: String(stolenPercent(run)),
      ceiling: `of ${run.cores} cores over the whole run: other guests of the host had it; figures above suffer with it`,
      goal: '-',
      verdict: '-',
    });
  }
  rows.push({
    figure: 'machine speed: fixed JS workload (ms)',
    value: `${machineSpeed.startMs} / ${machineSpeed.endMs}`,
    ceiling: 'at the start / end of this run; lower is faster: compares runs of different periods',
    goal: '-',
    verdict: '-',
  });
  return rows;
}

/** The table, aligned, on standard output. */
export function printTable(rows: Row[]): void {
  const widths = (['figure', 'value', 'ceiling', 'goal', 'verdict'] as const).map((key) =>
    Math.max(key.length, ...rows.map((row) => row[key].length)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
  console.log(`\n${line(['figure', 'value', 'ceiling (same run)', 'goal', 'verdict'])}`);
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const row of rows) console.log(line([row.figure, row.value, row.ceiling, row.goal, row.verdict]));
}

// `make bench`: the figures the project claims, each beside its ceiling
// measured in the same run (machines are noisy; ratios hold, absolute figures
// do not). Prints a table and writes the figures as JSON to .run/bench/.
//
//   make bench                       the full run (about 45 minutes: the soak alone takes 20)
//   make bench ARGS=--smoke          a small, quick run of every section (CI runs this)
//   make bench ARGS="--only commands,freshness"
//   make bench ARGS="--only soak --soak-rate 300"   the soak at another rate (the goal's is 1,000/s)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCommands, type CommandsFigures } from './commands.bench';
import { measureCpu } from './cpu-usage';
import { benchFreshness, type FreshnessFigures } from './freshness.bench';
import { machineSpeedMs } from './machine-speed';
import {
  commandsRows,
  freshnessRows,
  historyRows,
  printTable,
  rebuildRows,
  recoveryRows,
  type Row,
  runRows,
  soakRows,
} from './figures-table';
import { resultsRow } from './results-row';
import { benchQueries, type QueriesFigures } from './queries.bench';
import { queriesRows } from './queries-rows';
import { benchRebuild, type RebuildFigures } from './rebuild.bench';
import { benchHistory, type HistoryFigures } from './history.bench';
import { benchRecovery, type RecoveryFigures } from './recovery.bench';
import { benchSoak, type SoakFigures } from './soak.bench';
import { call, GATEWAY, ROOT, waitForLiveProjections } from './support';

const SECTIONS = ['commands', 'freshness', 'queries', 'rebuild', 'recovery', 'history', 'soak'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    'soak-rate': { type: 'string' },
  },
});
const only = new Set((values.only?.split(',') ?? SECTIONS) as Section[]);
for (const section of only) {
  if (!SECTIONS.includes(section)) {
    console.error(`unknown section ${section}; sections: ${SECTIONS.join(', ')}`);
    process.exit(2);
  }
}
const smoke = values.smoke;
const soakRate = values['soak-rate'] === undefined ? undefined : Number(values['soak-rate']);
if (soakRate !== undefined && !(Number.isInteger(soakRate) && soakRate > 0)) {
  console.error(`--soak-rate must be a whole number of lifecycles per second, not ${values['soak-rate']}`);
  process.exit(2);
}
const size = {
  // One snapshot interval at its default (see commands.bench.ts).
  commandSeconds: smoke ? 3 : 60,
  commandWarmupSeconds: smoke ? 1 : 30,
  freshnessSeconds: smoke ? 3 : 30,
  freshnessRate: smoke ? 100 : 500,
  freshnessWarmupSeconds: smoke ? 1 : 5,
  querySeconds: smoke ? 3 : 30,
  queryRate: smoke ? 50 : 500,
  // A long history with one customer holding a tenth of it, and a small one.
  queryStacks: smoke
    ? [
        { orders: 2_000, bigCustomerOrders: 200 },
        { orders: 200, bigCustomerOrders: 20 },
      ]
    : [
        { orders: 1_000_000, bigCustomerOrders: 100_000 },
        { orders: 10_000, bigCustomerOrders: 1_000 },
      ],
  rebuildEvents: smoke ? 3000 : 200_000,
  recoveryEvents: smoke ? 20000 : 1_000_000,
  historyOrders: smoke ? 20_000 : 2_000_000,
  soakSeconds: smoke ? 20 : 1200,
  soakRate: soakRate ?? (smoke ? 20 : 1000),
  soakWarmupSeconds: smoke ? 5 : 300,
  soakSampleSeconds: smoke ? 2 : 10,
};

const log = (line: string) => console.log(line);

async function main(): Promise<void> {
  const health = await call('GET', `${GATEWAY}/health/command`).catch(() => ({ status: 0 }));
  if (health.status !== 200) throw new Error(`the stack is not up behind ${GATEWAY}: run \`make run\` first`);
  const results: {
    commands?: CommandsFigures;
    freshness?: FreshnessFigures;
    queries?: QueriesFigures;
    rebuild?: RebuildFigures;
    recovery?: RecoveryFigures;
    history?: HistoryFigures;
    soak?: SoakFigures;
  } = {};
  const rows: Row[] = [];
  const startedAt = new Date().toISOString();
  const machineSpeed = { startMs: machineSpeedMs(), endMs: Number.NaN };
  const wholeRun = measureCpu();

  if (only.has('commands')) {
    await waitForLiveProjections();
    log(
      `commands: registrations through the gateway, 64 connections, ${size.commandSeconds} s after ${size.commandWarmupSeconds} s of warm-up ...`,
    );
    const c = (results.commands = await benchCommands({
      seconds: size.commandSeconds,
      warmupSeconds: size.commandWarmupSeconds,
      connections: 64,
    }));
    rows.push(...commandsRows(c));
  }

  if (only.has('freshness')) {
    await waitForLiveProjections();
    log(
      `freshness: ${size.freshnessRate} registrations/s for ${size.freshnessSeconds} s after ${size.freshnessWarmupSeconds} s of warm-up, each read back with minVersion ...`,
    );
    const stopCpu = measureCpu();
    const f = (results.freshness = await benchFreshness({
      rate: size.freshnessRate,
      seconds: size.freshnessSeconds,
      warmupSeconds: size.freshnessWarmupSeconds,
    }));
    const cpu = stopCpu?.();
    rows.push(...freshnessRows(f, cpu));
  }

  if (only.has('queries')) {
    await waitForLiveProjections();
    log(
      `queries: on read sides of ${size.queryStacks.map((stack) => stack.orders).join(' and ')} orders, each query at ${size.queryRate} requests/s for ${size.querySeconds} s ...`,
    );
    const q = (results.queries = await benchQueries({
      stacks: size.queryStacks,
      rate: size.queryRate,
      seconds: size.querySeconds,
      log,
    }));
    rows.push(...queriesRows(q));
  }

  if (only.has('rebuild')) {
    await waitForLiveProjections();
    log(`rebuild: ${size.rebuildEvents} events ...`);
    const r = (results.rebuild = await benchRebuild({ events: size.rebuildEvents, log }));
    rows.push(...rebuildRows(r));
  }

  if (only.has('recovery')) {
    await waitForLiveProjections();
    log(`recovery: ${size.recoveryEvents} events ...`);
    const r = (results.recovery = await benchRecovery({ events: size.recoveryEvents, log }));
    rows.push(...recoveryRows(r));
  }

  if (only.has('history')) {
    await waitForLiveProjections();
    log(`history: ${size.historyOrders} orders, 90 % of them finished ...`);
    const h = (results.history = await benchHistory({ orders: size.historyOrders, log }));
    rows.push(...historyRows(h));
  }

  if (only.has('soak')) {
    await waitForLiveProjections();
    log(
      `soak: ${size.soakRate} order lifecycles/s for ${size.soakSeconds} s, the command app's memory every ${size.soakSampleSeconds} s ...`,
    );
    const s = (results.soak = await benchSoak({
      rate: size.soakRate,
      seconds: size.soakSeconds,
      warmupSeconds: size.soakWarmupSeconds,
      sampleSeconds: size.soakSampleSeconds,
      log,
    }));
    rows.push(...soakRows(s));
  }

  machineSpeed.endMs = machineSpeedMs();
  rows.push(...runRows(wholeRun?.(), machineSpeed));
  printTable(rows);

  const dir = join(ROOT, '.run/bench');
  mkdirSync(dir, { recursive: true });
  const report = {
    startedAt,
    smoke,
    machine: { cpus: (await import('node:os')).cpus().length, speed: machineSpeed },
    rows,
    results,
  };
  const file = join(dir, `bench-${startedAt.replace(/[:.]/g, '-')}.json`);
  const slim = JSON.stringify(report, (key, value: unknown) => (key === 'orderIds' ? undefined : value), 2);
  writeFileSync(file, slim);
  writeFileSync(join(dir, 'latest.json'), slim);
  console.log(`\nfigures written to ${file}`);
  console.log(
    `\nthe row for docs/performance.md:\n${resultsRow({ date: startedAt.slice(0, 10), sections: [...only], smoke, figures: rows, speed: machineSpeed })}`,
  );
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});

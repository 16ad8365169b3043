// Where the machine's CPU went during a measured load, from /proc (Linux
// only; elsewhere the figures are left out). On a 2-core machine every part
// of the stack shares the same cores, so the bottleneck of a throughput
// figure is whichever part costs the most CPU per command, not the one with
// the slowest answer.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const COMPONENTS = [
  'command app',
  'query app',
  'PostgreSQL',
  'FerretDB',
  'Kafka',
  'gateway',
  'bench client',
  'other',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** Linux scheduling policies by number (sched.h). */
const POLICIES: Record<number, string> = { 0: 'other', 1: 'fifo', 2: 'rr', 3: 'batch', 5: 'idle', 6: 'deadline' };

interface Snapshot {
  /** CPU ticks (user + system, all threads) and scheduling policy per process. */
  processes: Map<number, { component: Component; ticks: number; policy: string }>;
  busyTicks: number;
  stolenTicks: number;
  totalTicks: number;
}

export interface CpuUsage {
  /** CPU-seconds per component over the window. */
  seconds: Record<Component, number>;
  /** Share of all cores that was busy (0..1), time stolen by the hypervisor included. */
  busy: number;
  /**
   * Share of all cores the hypervisor gave to other guests while this one had
   * work (0..1): the CPU the services wanted and did not get.
   */
  stolen: number;
  /** The scheduling policies each component's processes ran under, e.g. `{ Kafka: ['batch'] }`. */
  policies: Partial<Record<Component, string[]>>;
  cores: number;
  windowSeconds: number;
}

export function componentOf(pid: number, cmdline: string): Component {
  if (pid === process.pid) return 'bench client';
  if (cmdline.includes('apps/command/')) return 'command app';
  if (cmdline.includes('apps/query/')) return 'query app';
  if (/^postgres(:|\s|$)|\/bin\/postgres\s/.test(cmdline)) return 'PostgreSQL';
  if (cmdline.includes('ferretdb')) return 'FerretDB';
  if (cmdline.includes('kafka.Kafka')) return 'Kafka';
  if (cmdline.startsWith('nginx')) return 'gateway';
  return 'other';
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process ended between listing and reading
  }
}

function snapshot(): Snapshot {
  const processes: Snapshot['processes'] = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = read(`/proc/${pid}/stat`);
    const cmdline = read(`/proc/${pid}/cmdline`);
    if (stat === null || cmdline === null) continue;
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    const policy = POLICIES[Number(fields[38])] ?? `policy ${fields[38]}`;
    processes.set(pid, { component: componentOf(pid, cmdline.replace(/\0/g, ' ').trim()), ticks, policy });
  }
  return { processes, ...machineTicks() };
}

/** The whole machine's CPU ticks since boot, from the first line of /proc/stat. */
function machineTicks(): { busyTicks: number; stolenTicks: number; totalTicks: number } {
  const cpu = (read('/proc/stat') ?? '').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0); // idle + iowait
  const totalTicks = cpu.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busyTicks: totalTicks - idle, stolenTicks: cpu[7] ?? 0, totalTicks };
}

/** USER_HZ, the unit of /proc's CPU times: 100 on nearly every Linux. */
function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/**
 * Starts measuring; the returned function ends the window. Null where /proc
 * is not there. A process that ends inside the window is not counted (the
 * stack's services live longer than any bench section).
 */
export function measureCpu(): (() => CpuUsage) | null {
  if (read('/proc/stat') === null) return null;
  const hz = clockTicks();
  const started = performance.now();
  const before = snapshot();
  return () => {
    const after = snapshot();
    const seconds = Object.fromEntries(COMPONENTS.map((component) => [component, 0])) as Record<Component, number>;
    const policies: CpuUsage['policies'] = {};
    for (const [pid, { component, ticks, policy }] of after.processes) {
      const earlier = before.processes.get(pid);
      seconds[component] += (ticks - (earlier?.ticks ?? 0)) / hz;
      const seen = (policies[component] ??= []);
      if (!seen.includes(policy)) seen.push(policy);
    }
    const total = Math.max(1, after.totalTicks - before.totalTicks);
    return {
      seconds,
      busy: (after.busyTicks - before.busyTicks) / total,
      stolen: (after.stolenTicks - before.stolenTicks) / total,
      policies,
      cores: cpus().length,
      windowSeconds: (performance.now() - started) / 1000,
    };
  };
}

/** Several windows' usage as one: CPU-seconds summed, shares weighted by each window's length. */
export function combinedUsage(usages: readonly CpuUsage[]): CpuUsage {
  const windowSeconds = usages.reduce((sum, usage) => sum + usage.windowSeconds, 0);
  const weighted = (share: (usage: CpuUsage) => number) =>
    usages.reduce((sum, usage) => sum + share(usage) * usage.windowSeconds, 0) / Math.max(windowSeconds, 1e-9);
  const seconds = Object.fromEntries(
    COMPONENTS.map((component) => [component, usages.reduce((sum, usage) => sum + usage.seconds[component], 0)]),
  ) as Record<Component, number>;
  const policies: CpuUsage['policies'] = {};
  for (const usage of usages) {
    for (const [component, seen] of Object.entries(usage.policies) as [Component, string[]][]) {
      policies[component] = [...new Set([...(policies[component] ?? []), ...seen])];
    }
  }
  return {
    seconds,
    busy: weighted((usage) => usage.busy),
    stolen: weighted((usage) => usage.stolen),
    policies,
    cores: usages[0]?.cores ?? cpus().length,
    windowSeconds,
  };
}

/** Each component's ms of CPU per unit of work, largest first, the negligible left out. */
export function perUnit(usage: CpuUsage, units: number): { parts: [Component, number][]; totalMs: number } {
  const parts = COMPONENTS.map((component): [Component, number] => [
    component,
    (usage.seconds[component] * 1000) / Math.max(1, units),
  ])
    .filter(([, ms]) => ms >= 0.005)
    .sort((a, b) => b[1] - a[1]);
  return { parts, totalMs: parts.reduce((sum, [, ms]) => sum + ms, 0) };
}

/**
 * Waits until the whole machine has stayed below `busyBelow` (a share of all
 * cores) for `seconds` seconds in a row, or `maxSeconds` have passed; returns
 * how long it waited and whether it went quiet. A measurement meant for the
 * steady state waits out whatever the work before it left running (after a
 * read side is filled: PostgreSQL's autovacuum of the tables just written,
 * the projection's last writes). Reads only /proc/stat; returns at once where
 * it is not there.
 */
export async function waitUntilQuiet(options: {
  busyBelow: number;
  seconds: number;
  maxSeconds: number;
}): Promise<{ waitedSeconds: number; quiet: boolean }> {
  if (read('/proc/stat') === null) return { waitedSeconds: 0, quiet: true };
  const started = performance.now();
  const waited = () => (performance.now() - started) / 1000;
  let before = machineTicks();
  for (let quietSeconds = 0; quietSeconds < options.seconds;) {
    if (waited() >= options.maxSeconds) return { waitedSeconds: waited(), quiet: false };
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = machineTicks();
    const busy = (after.busyTicks - before.busyTicks) / Math.max(1, after.totalTicks - before.totalTicks);
    quietSeconds = busy < options.busyBelow ? quietSeconds + 1 : 0;
    before = after;
  }
  return { waitedSeconds: waited(), quiet: true };
}

import { spawn } from 'node:child_process';
import { combinedUsage, COMPONENTS, componentOf, type CpuUsage, measureCpu, perUnit } from './cpu-usage';

const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

describe('CPU accounting for make bench', () => {
  it('tells the stack’s processes apart by their command lines', () => {
    expect(componentOf(1, 'node --enable-source-maps /r/dist/apps/command/apps/command/src/main.js')).toBe(
      'command app',
    );
    expect(componentOf(1, 'node /r/dist/apps/query/apps/query/src/main.js')).toBe('query app');
    expect(componentOf(1, 'postgres: postgres ferretdb 127.0.0.1(50692) idle')).toBe('PostgreSQL');
    expect(componentOf(1, '/usr/lib/postgresql/15/bin/postgres -D /var/tmp/x/data -p 25432')).toBe('PostgreSQL');
    expect(componentOf(1, '/root/.cache/order-fulfillment/ferretdb-1.24.2-24ea --listen-addr 127.0.0.1:27017')).toBe(
      'FerretDB',
    );
    expect(componentOf(1, 'java -Xmx512m -cp /k/libs/* kafka.Kafka /r/.run/kafka/server.properties')).toBe('Kafka');
    expect(componentOf(1, 'nginx: worker process')).toBe('gateway');
    expect(componentOf(process.pid, 'node jest')).toBe('bench client');
    expect(componentOf(1, 'bash')).toBe('other');
  });

  it('measures the CPU this process burns, from /proc', () => {
    const stop = measureCpu();
    if (stop === null) throw new Error('no /proc/stat: CPU accounting needs Linux');
    // At least 300 ms of wall time and of this process's CPU, however busy the
    // machine (other suites run too); the CPU can run ahead of the wall clock
    // when V8's helper threads work too.
    const start = process.cpuUsage();
    const since = performance.now();
    let spin = 0;
    while (cpuMs(process.cpuUsage(start)) < 300 || performance.now() - since < 300) spin += Math.sqrt(spin + 1);
    const usage = stop();

    expect(spin).toBeGreaterThan(0);
    expect(usage.seconds['bench client']).toBeGreaterThanOrEqual(0.25);
    expect(usage.busy).toBeGreaterThan(0);
    expect(usage.busy).toBeLessThanOrEqual(1);
    expect(usage.stolen).toBeGreaterThanOrEqual(0);
    expect(usage.stolen).toBeLessThanOrEqual(usage.busy);
    expect(usage.windowSeconds).toBeGreaterThanOrEqual(0.3);
  });

  it('records the scheduling policy each component ran under', async () => {
    // A process under SCHED_BATCH (as scripts/stack.sh starts the services) counts as 'other' here.
    const child = spawn('chrt', ['--batch', '0', 'sleep', '5'], { stdio: 'ignore' });
    try {
      await new Promise((resolve, reject) => {
        child.once('spawn', resolve).once('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 200)); // until chrt has exec'd sleep
      const stop = measureCpu();
      if (stop === null) throw new Error('no /proc/stat: CPU accounting needs Linux');
      const usage = stop();

      expect(usage.policies.other).toContain('batch');
      expect(usage.policies['bench client']).toHaveLength(1);
    } finally {
      child.kill();
    }
  });

  it('reports ms per unit of work, largest first, leaving out what is negligible', () => {
    const seconds = {
      'command app': 0.6,
      'query app': 0.2,
      PostgreSQL: 0.3,
      FerretDB: 0.3,
      Kafka: 0.2,
      gateway: 0.06,
      'bench client': 0.06,
      other: 0.000001,
    };
    const { parts, totalMs } = perUnit(
      { seconds, busy: 0.9, stolen: 0.1, cores: 2, windowSeconds: 1, policies: {} },
      2000,
    );

    expect(parts.map(([component]) => component)).toEqual([
      'command app',
      'PostgreSQL',
      'FerretDB',
      'query app',
      'Kafka',
      'gateway',
      'bench client',
    ]);
    expect(parts[0][1]).toBeCloseTo(0.3);
    expect(totalMs).toBeCloseTo(0.86);
  });

  it('combines windows: CPU-seconds summed, busy shares weighted by each window’s length', () => {
    const window = (queryApp: number, busy: number, windowSeconds: number, policy: string): CpuUsage => ({
      seconds: {
        ...Object.fromEntries(COMPONENTS.map((component) => [component, 0])),
        'query app': queryApp,
      } as CpuUsage['seconds'],
      busy,
      stolen: busy / 10,
      cores: 2,
      windowSeconds,
      policies: { 'query app': [policy] },
    });

    const combined = combinedUsage([
      window(1, 0.6, 10, 'other'),
      window(0.5, 0.3, 5, 'batch'),
      window(0.2, 0.9, 5, 'other'),
    ]);

    expect(combined.seconds['query app']).toBeCloseTo(1.7);
    expect(combined.seconds.FerretDB).toBe(0);
    expect(combined.windowSeconds).toBe(20);
    expect(combined.busy).toBeCloseTo((0.6 * 10 + 0.3 * 5 + 0.9 * 5) / 20);
    expect(combined.stolen).toBeCloseTo(combined.busy / 10);
    expect(combined.policies['query app']?.sort()).toEqual(['batch', 'other']);
  });
});

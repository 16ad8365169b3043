import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { freePort, portOpen } from './net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The local stack's PostgreSQL database under FerretDB (`scripts/stack.sh env` sets it; this is its default). */
export const ferretDbPostgresUrl = (): string =>
  process.env.FERRETDB_POSTGRESQL_URL ?? 'postgres://postgres@127.0.0.1:25432/ferretdb?pool_max_conns=150';

/**
 * A MongoDB-wire server (FerretDB) of a test's own, which the test may stop and
 * start again. It runs the binary `make install` built and cached, on the
 * stack's PostgreSQL; tests use database names of their own, so it shares
 * that PostgreSQL database without touching anyone else's data.
 */
export class ScratchFerretDb {
  private process: ChildProcess | null = null;

  private constructor(
    private readonly port: number,
    private readonly binary: string,
  ) {}

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  /** Uses FERRETDB_BIN (set by `scripts/stack.sh env`), else the newest build in the cache. */
  static async create(): Promise<ScratchFerretDb> {
    const cache =
      process.env.OF_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'order-fulfillment');
    const cached = existsSync(cache)
      ? readdirSync(cache)
          .filter((name) => name.startsWith('ferretdb-1.24.2-'))
          .map((name) => join(cache, name))
          .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
      : undefined;
    const binary = process.env.FERRETDB_BIN ?? cached;
    if (!binary || !existsSync(binary)) {
      throw new Error(`No FerretDB build in ${cache}. Run \`make install\` (or \`make test\`, which builds it).`);
    }
    const server = new ScratchFerretDb(await freePort(), binary);
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    if (this.process) return;
    this.process = spawn(
      this.binary,
      ['--listen-addr', `127.0.0.1:${this.port}`, '--postgresql-url', ferretDbPostgresUrl()],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 30000;
    while (!(await portOpen(this.port))) {
      if (this.process.exitCode !== null) throw new Error('the scratch FerretDB exited at start');
      if (Date.now() > deadline) throw new Error('the scratch FerretDB did not open its port within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = null;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
  }
}

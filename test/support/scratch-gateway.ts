import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portOpen } from './net';

const NGINX_DIR = join(__dirname, '../../nginx');

/** Fills in `${NAME}` for the given names only, as scripts/stack.sh does. */
function render(template: string, values: Record<string, string>): string {
  return Object.entries(values).reduce((text, [name, value]) => text.replaceAll(`\${${name}}`, value), template);
}

/**
 * An nginx gateway of a test's own, rendered from the project's templates with
 * settings of the test's choosing, in front of the running apps.
 */
export class ScratchGateway {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {}

  static async start(settings: Record<string, string>): Promise<ScratchGateway> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'scratch-gateway-'));
    mkdirSync(join(dir, 'tmp'));
    const values = {
      COMMAND_UPSTREAM: `127.0.0.1:${process.env.COMMAND_PORT ?? '3001'}`,
      QUERY_UPSTREAM: `127.0.0.1:${process.env.QUERY_PORT ?? '3002'}`,
      GATEWAY_PORT: String(port),
      COMMAND_RATE_LIMIT: '5000',
      COMMAND_RATE_BURST: '2000',
      NGINX_DIR: dir,
      NGINX_MIME_TYPES: '/etc/nginx/mime.types',
      NGINX_USER_DIRECTIVE: process.getuid?.() === 0 ? 'user root;' : '',
      ...settings,
    };
    writeFileSync(
      join(dir, 'gateway.conf'),
      render(readFileSync(join(NGINX_DIR, 'gateway.conf.template'), 'utf8'), values),
    );
    writeFileSync(
      join(dir, 'nginx.conf'),
      render(readFileSync(join(NGINX_DIR, 'local.conf.template'), 'utf8'), values),
    );
    const child = spawn('nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 15000;
    while (!(await portOpen(port))) {
      if (child.exitCode !== null) throw new Error(`the scratch nginx exited at start; see ${dir}/error.log`);
      if (Date.now() > deadline) throw new Error('the scratch nginx did not open its port within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return new ScratchGateway(child, dir, `http://127.0.0.1:${port}`);
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGQUIT');
    await exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

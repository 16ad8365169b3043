import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The Compose stack opens nothing by default: what `docker compose config`
// makes of docker-compose.yml (no engine needed), and the admin token `make up`
// writes. The Compose binary is the one `make check-compose` uses.
const ROOT = join(__dirname, '..');

function composeCommand(): string[] {
  const found = spawnSync(join(ROOT, 'scripts/check-compose.sh'), ['path'], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(`No Docker Compose to read docker-compose.yml: run make check-compose.\n${found.stderr}`);
  }
  return found.stdout.trim().split(' ');
}

interface ComposeConfig {
  services: Record<
    string,
    { ports?: { host_ip?: string; published?: string }[]; environment?: Record<string, string> }
  >;
}

function config(env: Record<string, string>): { status: number | null; config?: ComposeConfig; stderr: string } {
  const [command, ...args] = composeCommand();
  const { ADMIN_TOKEN: _token, BIND_ADDRESS: _bind, ...inherited } = process.env;
  const result = spawnSync(command, [...args, '-f', 'docker-compose.yml', 'config', '--format', 'json'], {
    cwd: ROOT,
    encoding: 'utf8',
    // An --env-file that does not exist would fail: point it at an empty file.
    env: { ...inherited, COMPOSE_DISABLE_ENV_FILE: '1', ...env },
  });
  return {
    status: result.status,
    config: result.status === 0 ? (JSON.parse(result.stdout) as ComposeConfig) : undefined,
    stderr: result.stderr,
  };
}

const published = (compose: ComposeConfig) =>
  Object.entries(compose.services).flatMap(([service, { ports = [] }]) =>
    ports.map((port) => ({ service, hostIp: port.host_ip, port: port.published })),
  );

describe('the Compose stack opens nothing by default', () => {
  it('publishes every port on 127.0.0.1', () => {
    const { config: compose, stderr } = config({ ADMIN_TOKEN: 'a-secret' });
    expect(stderr).not.toMatch(/error/i);
    const ports = published(compose!);
    expect(ports.map((p) => p.service).sort()).toEqual(['gateway', 'kafdrop', 'kafka', 'mongo']);
    expect(ports.every((p) => p.hostIp === '127.0.0.1')).toBe(true);
  });

  it('widens every port with BIND_ADDRESS', () => {
    const ports = published(config({ ADMIN_TOKEN: 'a-secret', BIND_ADDRESS: '0.0.0.0' }).config!);
    expect(ports.every((p) => p.hostIp === '0.0.0.0')).toBe(true);
  });

  it('will not start without an admin token, and never defaults to the public one', () => {
    const missing = config({});
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('ADMIN_TOKEN');
    const set = config({ ADMIN_TOKEN: 'a-secret' }).config!;
    expect(set.services.command.environment?.ADMIN_TOKEN).toBe('a-secret');
    expect(set.services.query.environment?.ADMIN_TOKEN).toBe('a-secret');
  });
});

describe('make up writes a random admin token into .env', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compose-env-'));
  const file = join(dir, '.env');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates one on the first run, readable by its owner only, and says where', () => {
    const said = execFileSync(join(ROOT, 'scripts/compose-env.sh'), [file], { encoding: 'utf8' });
    expect(said).toContain(`generated into ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(/^ADMIN_TOKEN=[0-9a-f]{64}$/m);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps it on later runs', () => {
    const before = readFileSync(file, 'utf8');
    expect(execFileSync(join(ROOT, 'scripts/compose-env.sh'), [file], { encoding: 'utf8' })).toContain('kept');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('is git-ignored', () => {
    expect(() => execFileSync('git', ['check-ignore', '-q', '.env'], { cwd: ROOT })).not.toThrow();
  });
});

describe('outside the local stack, the apps refuse the public development token', () => {
  it.each(['command', 'query'])('the %s app exits at start, saying why', (app) => {
    const main = join(ROOT, `dist/apps/${app}/apps/${app}/src/main.js`);
    if (!existsSync(main)) throw new Error(`${main} is missing: build the apps first (npm run build; make test does)`);
    const { OF_LOCAL_STACK: _local, ...inherited } = process.env;
    const result = spawnSync('node', [main], {
      encoding: 'utf8',
      timeout: 30000,
      env: { ...inherited, ADMIN_TOKEN: 'dev-admin-token', LOG_LEVEL: 'error' },
    });
    expect(result.status).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain('ADMIN_TOKEN is the public development token');
  });
});

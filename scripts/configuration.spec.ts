import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Every setting the code reads is documented in docs/operations.md and listed
// in .env.example, and neither lists one that nothing reads.

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return files(path, keep);
    return keep(path) ? [path] : [];
  });
}

/** Names the apps and libs read through the settings helpers, `env.X`, `env['X']` or as port and socket keys. */
function readByCode(): Set<string> {
  const sources = ['apps', 'libs'].flatMap((dir) =>
    files(
      dir,
      (path) => path.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(path) && !path.includes('/test/'),
    ),
  );
  const names = new Set<string>();
  const patterns = [
    /FromEnv\((?:process\.)?env,\s*'([A-Z][A-Z0-9_]+)'/g,
    /\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g,
    /'([A-Z]+_(?:PORT|SOCKET))'/g,
  ];
  for (const path of sources) {
    const text = read(path);
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) names.add(match[1]);
  }
  names.delete('KAFKAJS_NO_PARTITIONER_WARNING'); // set by us, for kafkajs
  return names;
}

/** Names the shell scripts, Compose and the gateway template read. */
function readByStack(): Set<string> {
  const texts = [
    ...files('scripts', (path) => path.endsWith('.sh')).map(read),
    read('docker-compose.yml'),
    read('nginx/gateway.conf.template'),
    read('Makefile'),
  ];
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(/\$\{?([A-Z][A-Z0-9_]+)/g)) names.add(match[1]);
  return names;
}

function documented(): Set<string> {
  const text = read('docs/operations.md');
  const table = text.slice(text.indexOf('## Configuration'), text.indexOf('## Health'));
  const names = new Set<string>();
  for (const row of table.split('\n').filter((line) => line.startsWith('| `'))) {
    const first = row.split('|')[1];
    for (const match of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(match[1]);
  }
  return names;
}

function inEnvExample(): Set<string> {
  return new Set([...read('.env.example').matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
}

describe('the configuration', () => {
  const code = readByCode();
  const docs = documented();
  const example = inEnvExample();

  it('documents in docs/operations.md every setting the apps read', () => {
    expect([...code].filter((name) => !docs.has(name)).sort()).toEqual([]);
  });

  it('lists in .env.example exactly the settings docs/operations.md documents', () => {
    expect([...docs].filter((name) => !example.has(name)).sort()).toEqual([]);
    expect([...example].filter((name) => !docs.has(name)).sort()).toEqual([]);
  });

  it('documents no setting that nothing reads', () => {
    const stack = readByStack();
    const tools = files('scripts', (path) => path.endsWith('.ts')).concat(
      files('test', (path) => path.endsWith('.ts')),
    );
    const toolText = tools.map(read).join('\n');
    const unread = [...docs].filter((name) => !code.has(name) && !stack.has(name) && !toolText.includes(name));
    expect(unread.sort()).toEqual([]);
  });
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';
const FUZZ_DIR = join(__dirname, '../fuzz');
const SCHEMATHESIS =
  process.env.SCHEMATHESIS_BIN ??
  join(
    process.env.OF_CACHE_DIR ?? join(process.env.HOME ?? '/root', '.cache/order-fulfillment'),
    'schemathesis-venv/bin/st',
  );

/**
 * schemathesis against each OpenAPI document through the gateway: generated
 * and mutated requests, every answer checked for 5xx and for errors not in
 * problem+json (test/fuzz/hooks.py). Seeded, so a failure can be replayed.
 */
async function fuzz(
  api: 'command' | 'query',
  examplesPerOperation: number,
): Promise<{ cases: number; output: string }> {
  if (!existsSync(SCHEMATHESIS)) {
    throw new Error(
      `schemathesis is not installed at ${SCHEMATHESIS}: run \`scripts/stack.sh install-fuzzer\` (\`make test\` does)`,
    );
  }
  const args = [
    'run',
    `${gateway}/api-docs/${api}.json`,
    '--url',
    gateway,
    '--checks',
    'not_a_server_error,errors_are_problem_json',
    '--max-examples',
    String(examplesPerOperation),
    '--seed',
    '20261121',
    '--request-timeout',
    '30',
    '--header',
    `Authorization: Bearer ${process.env.ADMIN_TOKEN ?? 'dev-admin-token'}`,
  ];
  const result = await run(SCHEMATHESIS, args, {
    cwd: FUZZ_DIR,
    env: { ...process.env, SCHEMATHESIS_HOOKS: 'hooks', NO_COLOR: '1' },
    timeout: 600000,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; code?: number }) => {
    const output = error.stdout ?? '';
    const failures = output.slice(output.indexOf('FAILURES'), output.indexOf('SUMMARY'));
    throw new Error(
      `schemathesis found problems in the ${api} API (exit ${String(error.code)}):\n${failures.slice(0, 4000)}`,
    );
  });
  const generated = /(\d+) generated/.exec(result.stdout);
  return { cases: Number(generated?.[1] ?? 0), output: result.stdout };
}

describe('API fuzzing with schemathesis through the gateway', () => {
  it('command API: at least 1,000 generated cases, no 5xx, every error problem+json', async () => {
    const { cases } = await fuzz('command', 80);
    expect(cases).toBeGreaterThanOrEqual(1000);
  }, 600000);

  it('query API: at least 1,000 generated cases, no 5xx, every error problem+json', async () => {
    const { cases } = await fuzz('query', 150);
    expect(cases).toBeGreaterThanOrEqual(1000);
  }, 600000);
});

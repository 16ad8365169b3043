import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';
// Where scripts/stack.sh writes each service's output.
const LOG_DIR = process.env.OF_LOG_DIR ?? join(process.env.OF_RUN_DIR ?? join(__dirname, '../../.run'), 'logs');

function logFile(app: 'command' | 'query'): string {
  const file = join(LOG_DIR, `${app}.log`);
  if (!existsSync(file))
    throw new Error(`${file} is missing: these tests read the logs of the stack \`make run\` started`);
  return file;
}

/** Where each log ends before a test acts; only what is written after is read (a long-running stack's log can pass 1 GB). */
function logEnds(): Record<'command' | 'query', number> {
  return { command: statSync(logFile('command')).size, query: statSync(logFile('query')).size };
}

function jsonLines(app: 'command' | 'query', from: Record<'command' | 'query', number>): Record<string, unknown>[] {
  const file = logFile(app);
  const length = Math.max(0, statSync(file).size - from[app]);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, from[app]);
  } finally {
    closeSync(fd);
  }
  return buffer
    .toString('utf8')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.endsWith('}'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function eventually<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not found within 10 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('structured logs with the correlation id', () => {
  it('carries a request id from the gateway into the event metadata and the query app log for that event', async () => {
    const correlationId = `e2e-log-${randomUUID()}`;
    const from = logEnds();
    const product = `e2e-log-${randomUUID().slice(0, 8)}`;
    const put = await fetch(`${gateway}/api/v1/inventory/${product}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
      body: JSON.stringify({ quantity: 4 }),
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('x-correlation-id')).toBe(correlationId);

    const events = await fetch(`${gateway}/api/v1/admin/events/${product}?type=Inventory`, {
      headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN ?? 'dev-admin-token'}` },
    });
    expect(events.status).toBe(200);
    const { data } = (await events.json()) as { data: { events: { correlationId: string }[] } };
    expect(data.events.map((event) => event.correlationId)).toEqual([correlationId]);

    const line = await eventually(
      () =>
        jsonLines('query', from).find(
          (entry) =>
            entry.msg === 'applied events' &&
            (entry.events as { correlationId: string; aggregateId: string }[]).some(
              (event) => event.correlationId === correlationId && event.aggregateId === product,
            ),
        ),
      `a query app log line for the event of ${correlationId}`,
    );
    expect(line).toMatchObject({ name: 'query', topic: expect.any(String) as string });
  });

  it('logs a rejected command as JSON with its correlation id', async () => {
    const correlationId = `e2e-log-bad-${randomUUID()}`;
    const from = logEnds();
    const response = await fetch(`${gateway}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
      body: '{}',
    });
    expect(response.status).toBe(400);
    const line = await eventually(
      () => jsonLines('command', from).find((entry) => entry.correlationId === correlationId),
      `a command app log line with ${correlationId}`,
    );
    expect(line).toMatchObject({ level: 40, name: 'command', res: { statusCode: 400 } });
  });
});

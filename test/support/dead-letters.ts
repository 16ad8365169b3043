import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { topicNamesFromEnv } from '@of/contracts';
import { adminHeaders, call } from './gateway-client';
import { testKafka } from './kafka-test-helpers';

/** Where a poison message landed: its dead letter's id is `topic:partition:offset`. */
export interface PoisonMessage {
  key: string;
  id: string;
}

/**
 * Writes a message that is not an event into the stack's order topic, under
 * `key`: the read side parks it as a dead letter (MALFORMED_ENVELOPE). The
 * command app and the fault suite skip such messages as unreadable.
 */
export async function sendPoisonMessage(key: string): Promise<PoisonMessage> {
  const topic = topicNamesFromEnv().orderEvents;
  const producer = testKafka('e2e-poison').producer();
  await producer.connect();
  try {
    const [written] = await producer.send({ topic, messages: [{ key, value: `not an event (${key})` }] });
    return { key, id: `${topic}:${written.partition}:${written.baseOffset ?? '?'}` };
  } finally {
    await producer.disconnect();
  }
}

/**
 * Generous: in CI the stack shares two cores with the integration suites, and
 * a stall this long is worth a report of its own (see why()).
 */
export const DEAD_LETTER_WAIT_MS = 60000;

/** Polls the dead-letter list through the gateway until the open letter of this message shows up. */
export async function openDeadLetterOf(poison: PoisonMessage): Promise<Record<string, unknown>> {
  for (
    const until = Date.now() + DEAD_LETTER_WAIT_MS;
    Date.now() < until;
    await new Promise((r) => setTimeout(r, 200))
  ) {
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${cursor}` : '';
      const page = await call(
        'GET',
        `/api/v1/admin/dead-letters?status=OPEN&limit=100${suffix}`,
        undefined,
        adminHeaders(),
      );
      const found = (page.body.data as unknown as Record<string, unknown>[]).find(
        (letter) => letter.key === poison.key,
      );
      if (found) return found;
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
  }
  throw new Error(
    `no open dead letter ${poison.id} (key ${poison.key}) within ${DEAD_LETTER_WAIT_MS / 1000} s\n${await why(poison)}`,
  );
}

/** What the query app says about the letter and about its projections, to tell a slow consumer from a lost letter. */
async function why(poison: PoisonMessage): Promise<string> {
  const letter = await call(
    'GET',
    `/api/v1/admin/dead-letters/${encodeURIComponent(poison.id)}`,
    undefined,
    adminHeaders(),
  );
  const status = await call('GET', '/api/v1/admin/projections', undefined, adminHeaders());
  const [topic, partition] = poison.id.split(':');
  const data = status.body.data ?? {};
  const partitions = (data.partitions as { topic: string; partition: number }[] | undefined) ?? [];
  return JSON.stringify(
    {
      letter: { status: letter.status, body: letter.body.data ?? letter.body },
      projections: {
        generation: data.generation,
        running: data.running,
        lag: data.lag,
        lastError: data.lastError,
        rebuild: data.rebuild,
        partition: partitions.find((p) => p.topic === topic && String(p.partition) === partition),
      },
      queryAppWarnings: recentWarnings('query.log'),
    },
    null,
    2,
  );
}

/** The last warnings and errors of a local stack's app, other than refused requests (CI deletes the logs with its clone). */
function recentWarnings(file: string): string[] {
  const path = join(process.env.OF_RUN_DIR ?? join(__dirname, '../../.run'), 'logs', file);
  if (!existsSync(path)) return [`no log at ${path}`];
  const fd = openSync(path, 'r');
  const tail = Buffer.alloc(Math.min(fstatSync(fd).size, 2 * 1024 * 1024));
  readSync(fd, tail, 0, tail.length, fstatSync(fd).size - tail.length);
  closeSync(fd);
  const lines = tail.toString('utf8').split('\n');
  return lines
    .filter((line) => /"level":(40|50|60)/.test(line) && !line.includes('"msg":"request completed"'))
    .slice(-20)
    .map((line) => line.slice(0, 400));
}

import { topicNamesFromEnv } from '@of/contracts';
import { adminHeaders, call } from './gateway-client';
import { testKafka } from './kafka-test-helpers';

/**
 * Writes a message that is not an event into the stack's order topic, under
 * `key`: the read side parks it as a dead letter (MALFORMED_ENVELOPE). The
 * command app and the fault suite skip such messages as unreadable.
 */
export async function sendPoisonMessage(key: string): Promise<void> {
  const producer = testKafka('e2e-poison').producer();
  await producer.connect();
  await producer.send({ topic: topicNamesFromEnv().orderEvents, messages: [{ key, value: `not an event (${key})` }] });
  await producer.disconnect();
}

/** Polls the dead-letter list through the gateway until the open letter with this key shows up. */
export async function openDeadLetterWithKey(key: string): Promise<Record<string, unknown>> {
  for (const until = Date.now() + 30000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${cursor}` : '';
      const page = await call(
        'GET',
        `/api/v1/admin/dead-letters?status=OPEN&limit=100${suffix}`,
        undefined,
        adminHeaders(),
      );
      const found = (page.body.data as unknown as Record<string, unknown>[]).find((letter) => letter.key === key);
      if (found) return found;
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
  }
  throw new Error(`no open dead letter with key ${key} within 30 s`);
}

import { randomUUID } from 'node:crypto';
import { topicNamesFromEnv } from '@of/contracts';
import { adminHeaders, call } from '../support/gateway-client';
import { DEAD_LETTER_WAIT_MS, openDeadLetterOf, sendPoisonMessage } from '../support/dead-letters';

const LETTERS = '/api/v1/admin/dead-letters';

describe('dead letters through the gateway', () => {
  const topic = topicNamesFromEnv().orderEvents;

  it('asks for the admin token on every method', async () => {
    const id = `${topic}:0:0`;
    for (const [method, path] of [
      ['GET', LETTERS],
      ['GET', `${LETTERS}/${id}`],
      ['POST', `${LETTERS}/${id}/retry`],
      ['DELETE', `${LETTERS}/${id}`],
    ]) {
      const reply = await call(method, path);
      expect({ method, path, status: reply.status, code: reply.body.code }).toEqual({
        method,
        path,
        status: 401,
        code: 'UNAUTHORIZED',
      });
    }
  });

  it('routes every method to the query app', async () => {
    const unknown = `${topic}:0:999999999`;
    for (const [method, path] of [
      ['GET', `${LETTERS}/${unknown}`],
      ['POST', `${LETTERS}/${unknown}/retry`],
      ['DELETE', `${LETTERS}/${unknown}`],
    ]) {
      const reply = await call(method, path, undefined, adminHeaders());
      expect({ method, status: reply.status, code: reply.body.code }).toEqual({
        method,
        status: 404,
        code: 'DEAD_LETTER_NOT_FOUND',
      });
    }
    const wrong = await call('PUT', `${LETTERS}/${unknown}`, {}, adminHeaders());
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, DELETE, OPTIONS');
  });

  it(
    'finds a poison event, refuses to retry it while it is still unreadable, and discards it',
    async () => {
      const key = `e2e-poison-${randomUUID().slice(0, 8)}`;
      const poison = await sendPoisonMessage(key);
      const letter = await openDeadLetterOf(poison);
      expect(letter).toMatchObject({
        id: poison.id, // its position in the topic
        topic,
        reason: 'MALFORMED_ENVELOPE',
        value: `not an event (${key})`,
        status: 'OPEN',
      });

      const id = letter.id as string;
      const retry = await call('POST', `${LETTERS}/${id}/retry`, undefined, adminHeaders());
      expect(retry.status).toBe(422);
      expect(retry.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(retry.body).toMatchObject({ code: 'RETRY_FAILED', reason: 'MALFORMED_ENVELOPE' });

      const discard = await call('DELETE', `${LETTERS}/${id}`, { reason: 'e2e test message' }, adminHeaders());
      expect(discard.status).toBe(200);
      expect(discard.body.data).toMatchObject({ id, status: 'DISCARDED', discardReason: 'e2e test message' });
      const read = await call('GET', `${LETTERS}/${id}`, undefined, adminHeaders());
      expect(read.body.data).toMatchObject({ status: 'DISCARDED' });
    },
    DEAD_LETTER_WAIT_MS + 30000,
  );
});

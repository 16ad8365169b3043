import { CURRENT_SCHEMA_VERSION, serializeEnvelope, upcasters, type ValidEvent } from '@of/contracts';
import { testKafka, uniqueName } from '../../../test/support/kafka-test-helpers';
import { ADMIN_TOKEN, isolatedTopics } from '../../command/test/command-app.harness';
import { envelope, orderCreated } from './events.fixture';
import { type QueryHarness, startQueryApp } from './query-app.harness';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

interface Letter {
  id: string;
  offset: string;
  reason: string;
  status: string;
  value: string | null;
  event: { aggregateId: string; aggregateVersion: number } | null;
  lastFailedRetry: { reason: string } | null;
  alsoRetried?: string[];
}

/**
 * Poison events against a real broker and FerretDB: parked, listed, retried
 * after a fix (an upcaster registered while the app runs), discarded, and
 * still decided after a restart and a rebuild.
 */
describe('dead letters: list, retry after a fix, discard', () => {
  const topics = isolatedTopics();
  const database = uniqueName('it_dlq').replace(/-/g, '_');
  let query: QueryHarness;

  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, headers = admin) => {
    const response = await query.app.inject({
      method,
      url,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.statusCode,
      body: JSON.parse(response.body) as Record<string, unknown> & { data?: Letter },
    };
  };
  const letters = async (filter = '') =>
    ((await call('GET', `/api/v1/admin/dead-letters?limit=100${filter}`)).body.data as unknown as Letter[]) ?? [];
  const eventuallyLetters = async (count: number, filter = '') => {
    const until = Date.now() + 30000;
    for (;;) {
      const found = await letters(filter);
      if (found.length >= count) return found;
      if (Date.now() > until) throw new Error(`expected ${count} dead letters, found ${JSON.stringify(found)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  // An order whose first event was written by a newer release (schema version 2, unknown to this
  // code), and whose second is then a gap.
  const created: ValidEvent = { ...orderCreated('dl-o1', 'dl-c1'), schemaVersion: 2 };
  /** The fix, as a release that knows version 2 would bring it: the version, and the upcaster from 1. */
  const learnVersion2 = () => {
    CURRENT_SCHEMA_VERSION.OrderCreated = 2;
    upcasters.register('OrderCreated', 1, (payload) => payload);
  };
  const cancelled = envelope('OrderCancelled', 'dl-o1', 2, { orderId: 'dl-o1', reason: null });

  beforeAll(async () => {
    query = await startQueryApp(topics, database);
    const producer = testKafka('it-dlq').producer();
    await producer.connect();
    await producer.send({
      topic: topics.orders,
      messages: [
        { key: 'dl-o1', value: serializeEnvelope(created) },
        { key: 'dl-o1', value: serializeEnvelope(cancelled) },
        { key: 'dl-junk', value: 'this is not an event' },
      ],
    });
    await producer.disconnect();
  }, 60000);

  afterAll(async () => {
    CURRENT_SCHEMA_VERSION.OrderCreated = 1;
    await query?.close();
  });

  it('lists what could not be applied, with where it was read, why, and the raw value', async () => {
    const open = await eventuallyLetters(3, `&status=OPEN&topic=${topics.orders}`);
    expect(open.map((letter) => letter.reason).sort()).toEqual([
      'INVALID_PAYLOAD',
      'MALFORMED_ENVELOPE',
      'VERSION_GAP',
    ]);
    const junk = open.find((letter) => letter.reason === 'MALFORMED_ENVELOPE')!;
    const one = await call('GET', `/api/v1/admin/dead-letters/${junk.id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({
      id: `${topics.orders}:${junk.id.split(':')[1]}:${junk.offset}`,
      topic: topics.orders,
      key: 'dl-junk',
      value: 'this is not an event',
      status: 'OPEN',
    });
    expect(await letters(`&status=RETRIED`)).toEqual([]);

    const metrics = await query.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(
      new RegExp(`dead_letters_open\\{topic="${topics.orders}",reason="VERSION_GAP",app="query"\\} 1`),
    );
  });

  it('pages with cursors, each letter once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${cursor}` : '';
      const reply = await call('GET', `/api/v1/admin/dead-letters?limit=1${suffix}`);
      seen.push(...(reply.body.data as unknown as Letter[]).map((letter) => letter.id));
      cursor = reply.body.nextCursor as string | null;
    } while (cursor);
    expect(seen.length).toBe(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('answers 422 while the event still fails, and keeps the letter open with the reason', async () => {
    const open = await letters();
    const gap = open.find((letter) => letter.reason === 'VERSION_GAP')!;
    const first = await call('POST', `/api/v1/admin/dead-letters/${gap.id}/retry`);
    expect(first.status).toBe(422);
    expect(first.body).toMatchObject({ code: 'RETRY_FAILED', reason: 'VERSION_GAP' });
    expect((await call('GET', `/api/v1/admin/dead-letters/${gap.id}`)).body.data).toMatchObject({
      status: 'OPEN',
      lastFailedRetry: { reason: 'VERSION_GAP' },
    });
    const invalid = open.find((letter) => letter.reason === 'INVALID_PAYLOAD')!;
    const second = await call('POST', `/api/v1/admin/dead-letters/${invalid.id}/retry`);
    expect(second.status).toBe(422);
    expect(second.body).toMatchObject({ code: 'RETRY_FAILED', reason: 'INVALID_PAYLOAD' });
  });

  it('after a fix, applies the letter and the gap behind it, once, and the read models show them', async () => {
    learnVersion2();
    const open = await letters();
    const invalid = open.find((letter) => letter.reason === 'INVALID_PAYLOAD')!;
    const gap = open.find((letter) => letter.reason === 'VERSION_GAP')!;
    const reply = await call('POST', `/api/v1/admin/dead-letters/${invalid.id}/retry`);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ status: 'RETRIED', alsoRetried: [gap.id] });
    expect((await call('GET', `/api/v1/admin/dead-letters/${gap.id}`)).body.data).toMatchObject({ status: 'RETRIED' });

    const order = await query.get('/api/v1/orders/dl-o1');
    expect(order.body.data).toMatchObject({ status: 'CANCELLED', version: 2 });
    const history = await query.get('/api/v1/customers/dl-c1/orders');
    expect(history.body.data).toMatchObject({ orderCount: 1, totalSpent: {} });

    // Retrying twice changes nothing: the customer still has one order.
    expect((await call('POST', `/api/v1/admin/dead-letters/${invalid.id}/retry`)).status).toBe(200);
    expect((await query.get('/api/v1/customers/dl-c1/orders')).body.data).toMatchObject({ orderCount: 1 });
  });

  it('discards once; discarding twice is the same, and a retried letter cannot be discarded', async () => {
    const junk = (await letters()).find((letter) => letter.reason === 'MALFORMED_ENVELOPE')!;
    const first = await call('DELETE', `/api/v1/admin/dead-letters/${junk.id}`, { reason: 'sent by hand' });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ status: 'DISCARDED', discardReason: 'sent by hand' });
    const again = await call('DELETE', `/api/v1/admin/dead-letters/${junk.id}`);
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ status: 'DISCARDED', discardReason: 'sent by hand' });

    const retried = (await letters('&status=RETRIED'))[0];
    const refused = await call('DELETE', `/api/v1/admin/dead-letters/${retried.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'DEAD_LETTER_ALREADY_RETRIED' });
  });

  it('refuses bad input and requests without the token', async () => {
    expect((await call('GET', '/api/v1/admin/dead-letters', undefined, {} as typeof admin)).status).toBe(401);
    expect(
      (await call('POST', `/api/v1/admin/dead-letters/${topics.orders}:0:1/retry`, undefined, {} as typeof admin))
        .status,
    ).toBe(401);
    expect((await call('GET', '/api/v1/admin/dead-letters?status=LOST')).status).toBe(400);
    expect((await call('GET', '/api/v1/admin/dead-letters?topic=elsewhere')).status).toBe(400);
    expect((await call('GET', '/api/v1/admin/dead-letters/not-an-id')).status).toBe(400);
    expect((await call('GET', `/api/v1/admin/dead-letters/${topics.orders}:0:999999`)).body).toMatchObject({
      code: 'DEAD_LETTER_NOT_FOUND',
    });
    const junk = (await letters('&status=DISCARDED'))[0];
    expect((await call('DELETE', `/api/v1/admin/dead-letters/${junk.id}`, { reason: 7 })).status).toBe(400);
  });

  it('keeps every status across a restart and a rebuild', async () => {
    const before = Object.fromEntries((await letters()).map((letter) => [letter.id, letter.status]));
    await query.close();
    query = await startQueryApp(topics, database);
    expect(Object.fromEntries((await letters()).map((letter) => [letter.id, letter.status]))).toEqual(before);

    expect((await call('POST', '/api/v1/admin/projections/rebuild')).status).toBe(202);
    await query.eventually<{ rebuild: { state: string } }>(
      '/api/v1/admin/projections',
      (body) => body.data?.rebuild.state === 'completed',
      { headers: admin, timeoutMs: 60000 },
    );
    expect(Object.fromEntries((await letters()).map((letter) => [letter.id, letter.status]))).toEqual(before);
    // The rebuilt generation applied the fixed events itself.
    expect((await query.get('/api/v1/orders/dl-o1')).body.data).toMatchObject({ status: 'CANCELLED', version: 2 });
  }, 90000);
});

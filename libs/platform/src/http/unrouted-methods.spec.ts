import Fastify, { type FastifyInstance } from 'fastify';
import { answerUnroutedApiRequests } from './unrouted-methods';

describe('API requests no route of this app takes', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    answerUnroutedApiRequests(app);
    // This app's own route for the path: it wins over the wildcard.
    app.delete('/api/v1/orders/:orderId', () => ({ deleted: true }));
    await app.ready();
  });
  afterAll(() => app.close());

  const ask = (method: 'GET' | 'PATCH' | 'OPTIONS' | 'DELETE' | 'POST', url: string, payload?: string) =>
    app.inject({ method, url, payload, headers: payload ? { 'content-type': 'application/json' } : {} });

  it('leaves a route the app has alone', async () => {
    expect((await ask('DELETE', '/api/v1/orders/o-1')).json()).toEqual({ deleted: true });
  });

  it('answers a method the path does not take with 405 and every method of both apps', async () => {
    const reply = await ask('PATCH', '/api/v1/orders/o-1?x=1');
    expect(reply.statusCode).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD, DELETE, OPTIONS');
    expect(reply.headers['content-type']).toContain('application/problem+json');
    expect(reply.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', detail: expect.stringContaining('PATCH') });
  });

  it('answers by path and method even when the body does not parse', async () => {
    expect((await ask('PATCH', '/api/v1/orders/o-1', '{not json')).statusCode).toBe(405);
    expect((await ask('POST', '/api/v1/nothing', '{not json')).statusCode).toBe(404);
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const reply = await ask('OPTIONS', '/api/v1/orders');
    expect(reply.statusCode).toBe(204);
    expect(reply.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
  });

  it("answers 404 for a method of the other app's and for a path of no app", async () => {
    expect((await ask('GET', '/api/v1/orders/o-1')).json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await ask('GET', '/api/v1/nothing')).json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers a segment longer than any id with 414', async () => {
    const reply = await ask('GET', `/api/v1/customers/${'x'.repeat(300)}/orders`);
    expect(reply.json()).toMatchObject({ status: 414, code: 'URI_TOO_LONG' });
  });
});

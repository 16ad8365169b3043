import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { registerCorrelationId } from './correlation-id';
import { logRequests } from './logging';

interface Line {
  level: number;
  correlationId: string;
  req: { method: string; url: string };
  res: { statusCode: number };
  msg: string;
}

function appLoggingTo(lines: Line[], level: string): FastifyInstance {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  const fastify = Fastify();
  registerCorrelationId(fastify);
  logRequests(fastify, pino({ level }, sink));
  fastify.get('/ok', () => ({ ok: true }));
  fastify.get('/missing', (_request, reply) => reply.code(404).send({}));
  fastify.get('/broken', (_request, reply) => reply.code(503).send({}));
  return fastify;
}

describe('request logging', () => {
  it('logs 4xx as warn and 5xx as error, each with the request correlation id', async () => {
    const lines: Line[] = [];
    const app = appLoggingTo(lines, 'info');
    await app.inject({ url: '/missing', headers: { 'x-correlation-id': 'corr-404' } });
    await app.inject({ url: '/broken', headers: { 'x-correlation-id': 'corr-503' } });
    expect(lines.map(({ level, correlationId, req, res }) => ({ level, correlationId, req, res }))).toEqual([
      { level: 40, correlationId: 'corr-404', req: { method: 'GET', url: '/missing' }, res: { statusCode: 404 } },
      { level: 50, correlationId: 'corr-503', req: { method: 'GET', url: '/broken' }, res: { statusCode: 503 } },
    ]);
  });

  it('keeps successful requests out of info and logs them at debug', async () => {
    const quiet: Line[] = [];
    await appLoggingTo(quiet, 'info').inject({ url: '/ok' });
    expect(quiet).toEqual([]);

    const verbose: Line[] = [];
    await appLoggingTo(verbose, 'debug').inject({ url: '/ok', headers: { 'x-correlation-id': 'corr-ok' } });
    expect(verbose).toMatchObject([{ level: 20, correlationId: 'corr-ok', res: { statusCode: 200 } }]);
  });
});

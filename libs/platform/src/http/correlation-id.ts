import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const CORRELATION_HEADER = 'x-correlation-id';
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's correlation id: the client's (if sane) or a new one. */
export function correlationIdOf(request: FastifyRequest): string {
  const id = (request as FastifyRequest & { correlationId?: string }).correlationId;
  return id ?? randomUUID();
}

/** Takes the client's `X-Correlation-Id` if sane, else a new one, and echoes it on every answer. */
export function registerCorrelationId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const sent = request.headers[CORRELATION_HEADER];
    const id = typeof sent === 'string' && ACCEPTABLE.test(sent) ? sent : randomUUID();
    (request as FastifyRequest & { correlationId?: string }).correlationId = id;
    void reply.header(CORRELATION_HEADER, id);
    done();
  });
}

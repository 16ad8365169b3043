import { allowedMethods, allowHeader, routeOf } from '@of/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../errors/problem-details';

function sendProblem(reply: FastifyReply, status: number, code: string, detail: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send(problem(status, code, detail));
}

/**
 * Answers API requests that no route of this app takes, by the public route
 * table (both apps' paths): a known path asked with a method it does not take
 * is 405 with `Allow`, OPTIONS is 204 with `Allow`, anything else is 404.
 * Fastify's router prefers any concrete route to this wildcard, so it only
 * sees what would otherwise be a 404.
 */
export function answerUnroutedApiRequests(fastify: FastifyInstance): void {
  const maxSegment = fastify.initialConfig.maxParamLength ?? 100;
  const answer = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split('?', 1)[0];
    // A segment the router refused as a parameter (ids are at most 64 characters).
    if (path.split('/').some((segment) => segment.length > maxSegment)) {
      return sendProblem(reply, 414, 'URI_TOO_LONG', 'A path segment is longer than any id.');
    }
    const route = routeOf(path);
    if (route === null) return sendProblem(reply, 404, 'NOT_FOUND', 'No such resource.');
    const allow = allowHeader(route);
    if (request.method === 'OPTIONS') return reply.code(204).header('allow', allow).send();
    if (!allowedMethods(route).includes(request.method)) {
      const detail = `${request.method} is not allowed on ${route.path}; it takes ${allow}.`;
      return sendProblem(reply.header('allow', allow), 405, 'METHOD_NOT_ALLOWED', detail);
    }
    // The method is the other app's (the gateway routes it there), or the id names nothing here.
    return sendProblem(reply, 404, 'NOT_FOUND', 'No such resource.');
  };
  fastify.route({
    method: fastify.supportedMethods,
    url: '/api/*',
    handler: answer,
    // A body that does not parse does not change what the path and method are.
    errorHandler: (_error, request, reply) => {
      void answer(request, reply);
    },
  });
}

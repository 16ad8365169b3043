import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandResponse } from './command-response';
import type { CommandRunner, Decision } from './command-runner';
import { type RequestContext, requestContextOf } from './request-context';

/**
 * What every command endpoint does: runs the command its request carries
 * (see CommandRunner), puts the answer's status and headers on the reply, and
 * returns its body.
 */
export async function answer(
  runner: CommandRunner,
  request: FastifyRequest,
  reply: FastifyReply,
  decide: (context: RequestContext) => Decision,
): Promise<CommandResponse['body']> {
  const context = requestContextOf(request);
  const response = await runner.execute(context, () => decide(context));
  void reply.status(response.status).headers(response.headers);
  return response.body;
}

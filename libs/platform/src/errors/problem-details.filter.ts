import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '@of/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MongoError } from 'mongodb';
import { ApplicationError, InfrastructureError, ValidationFailedError } from './application.errors';
import { correlationIdOf } from '../http/correlation-id';
import { problem, type ProblemDetails } from './problem-details';

/**
 * Nest turns errors of the HTTP stack (body parsing, size, media type, unknown
 * routes) into HttpExceptions that keep only the status and message.
 */
function fromHttpException(error: HttpException): ProblemDetails {
  const status = error.getStatus();
  switch (status) {
    case 400:
      return /json/i.test(error.message)
        ? problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON.')
        : problem(400, 'BAD_REQUEST', error.message);
    case 404:
      return problem(404, 'NOT_FOUND', 'No such resource.');
    case 405:
      return problem(405, 'METHOD_NOT_ALLOWED', 'This method is not allowed here.');
    case 413:
      return problem(413, 'PAYLOAD_TOO_LARGE', 'Request bodies are limited to 1 MiB.');
    case 415:
      return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
    default:
      return status >= 500
        ? problem(500, 'INTERNAL_ERROR', 'An unexpected error occurred.')
        : problem(status, 'HTTP_ERROR', error.message);
  }
}

export function toProblem(error: unknown): { body: ProblemDetails; headers: Record<string, string> } {
  if (error instanceof DomainError) {
    return { body: problem(error.isNotFound ? 404 : 422, error.code, error.message, error.details), headers: {} };
  }
  if (error instanceof ValidationFailedError) {
    return { body: problem(400, error.code, error.message, { errors: error.errors }), headers: {} };
  }
  if (error instanceof ApplicationError) {
    return { body: problem(error.status, error.code, error.message, error.details), headers: {} };
  }
  if (error instanceof InfrastructureError) {
    return {
      body: problem(503, error.code, error.message),
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof HttpException) return { body: fromHttpException(error), headers: {} };
  if (
    error instanceof MongoError &&
    /Network|ServerSelection|Timeout|NotConnected|PoolClosed|TopologyClosed/.test(error.name)
  ) {
    return {
      body: problem(503, 'READ_MODEL_UNAVAILABLE', 'The read store is not reachable right now; try again shortly.'),
      headers: { 'retry-after': '2' },
    };
  }
  return { body: problem(500, 'INTERNAL_ERROR', 'An unexpected error occurred.'), headers: {} };
}

/** The one place where errors become HTTP answers: problem+json, never a stack trace. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { body, headers } = toProblem(error);
    if (body.status >= 500) {
      this.logger.error({
        correlationId: correlationIdOf(http.getRequest<FastifyRequest>()),
        msg: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
    void reply
      .status(body.status)
      .headers({ ...headers, 'content-type': 'application/problem+json' })
      .send(body);
  }
}

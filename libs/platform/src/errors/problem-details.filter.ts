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
    case 503:
      return notReady(error.getResponse());
    default:
      return status >= 500
        ? problem(500, 'INTERNAL_ERROR', 'An unexpected error occurred.')
        : problem(status, 'HTTP_ERROR', error.message);
  }
}

/**
 * A readiness check that failed (Terminus throws ServiceUnavailableException
 * with its result): 503, so probes and load balancers see "not ready", with
 * each check's state.
 */
function notReady(response: string | object): ProblemDetails {
  const details = typeof response === 'object' && 'details' in response ? response.details : undefined;
  const down =
    typeof details === 'object' && details !== null
      ? Object.entries(details as Record<string, { status?: unknown }>)
          .filter(([, check]) => check?.status !== 'up')
          .map(([name]) => name)
      : [];
  const detail =
    down.length > 0 ? `Not ready: ${down.join(', ')}.` : 'The service is not ready to take requests right now.';
  return problem(503, 'NOT_READY', detail, details === undefined ? {} : { checks: details });
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
  if (error instanceof HttpException) {
    const body = fromHttpException(error);
    return { body, headers: body.status === 503 ? { 'retry-after': '1' } : {} };
  }
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
    // Terminus already logs a failed readiness check.
    if (body.status >= 500 && body.code !== 'NOT_READY') {
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

import { correlationIdOf, ValidationFailedError } from '@of/platform';
import type { FastifyRequest } from 'fastify';
import { fingerprintOf } from './idempotency.store';

export interface RequestContext {
  correlationId: string;
  /** With the request's fingerprint, only when the client sent an Idempotency-Key. */
  idempotency: { key: string; fingerprint: string } | null;
  /** The version the client's If-Match names, if it sent one. */
  ifMatch: number | null;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const IF_MATCH = /^(?:W\/)?"?(\d{1,15})"?$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function requestContextOf(request: FastifyRequest): RequestContext {
  const key = header(request, 'idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationFailedError([{ field: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }]);
  }
  const ifMatch = header(request, 'if-match');
  const match = ifMatch === undefined ? null : IF_MATCH.exec(ifMatch.trim());
  if (ifMatch !== undefined && !match) {
    throw new ValidationFailedError([{ field: 'If-Match', message: 'must be a version such as "3"' }]);
  }
  return {
    correlationId: correlationIdOf(request),
    idempotency:
      key === undefined
        ? null
        : { key, fingerprint: fingerprintOf(request.method, request.url.split('?')[0], request.body) },
    ifMatch: match ? Number(match[1]) : null,
  };
}

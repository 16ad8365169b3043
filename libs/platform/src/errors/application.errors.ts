/**
 * The error taxonomy: domain errors (libs/domain: a business rule said no),
 * application errors (the request itself is wrong: validation, versions,
 * idempotency, auth) and infrastructure errors (a dependency is down). One
 * filter maps all three to problem+json.
 */
export interface FieldError {
  /** A JSON path into the request, e.g. `items[0].quantity`. */
  field: string;
  message: string;
}

export abstract class ApplicationError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details: Record<string, unknown> = {};
}

export class ValidationFailedError extends ApplicationError {
  override readonly name = 'ValidationFailedError';
  readonly status = 400;
  readonly code = 'VALIDATION_FAILED';

  constructor(readonly errors: FieldError[]) {
    super(errors.length === 1 ? `${errors[0].field}: ${errors[0].message}` : `${errors.length} fields are invalid.`);
  }
}

export class ConcurrencyConflictError extends ApplicationError {
  override readonly name = 'ConcurrencyConflictError';
  readonly status = 409;
  readonly code = 'CONCURRENCY_CONFLICT';
  override readonly details: { expectedVersion: number; actualVersion: number };

  constructor(expectedVersion: number, actualVersion: number) {
    super(`Expected version ${expectedVersion}, but the current version is ${actualVersion}.`);
    this.details = { expectedVersion, actualVersion };
  }
}

export class IdempotencyKeyReusedError extends ApplicationError {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly status = 422;
  readonly code = 'IDEMPOTENCY_KEY_REUSED';

  constructor() {
    super('This Idempotency-Key was already used with a different request.');
  }
}

export class UnauthorizedError extends ApplicationError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
  readonly code = 'UNAUTHORIZED';

  constructor() {
    super('A valid bearer token is required.');
  }
}

export class InvalidStatusRequestError extends ApplicationError {
  override readonly name = 'InvalidStatusRequestError';
  readonly status = 422;
  readonly code = 'INVALID_STATUS_TRANSITION';

  constructor(
    message: string,
    override readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** A dependency cannot do its part now; the client may retry after `retryAfterSeconds`. */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
  readonly status = 503;

  constructor(
    readonly code: 'EVENT_BUS_UNAVAILABLE' | 'READ_MODEL_UNAVAILABLE' | 'NOT_READY',
    message: string,
    readonly retryAfterSeconds = 2,
  ) {
    super(message);
  }
}

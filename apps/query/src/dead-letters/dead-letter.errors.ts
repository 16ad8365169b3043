import { ApplicationError } from '@of/platform';

export class DeadLetterNotFoundError extends ApplicationError {
  override readonly name = 'DeadLetterNotFoundError';
  readonly status = 404;
  readonly code = 'DEAD_LETTER_NOT_FOUND';

  constructor(id: string) {
    super(`There is no dead letter ${id}.`);
  }
}

/** A retry that could not apply the event: the letter stays open, with this reason. */
export class RetryFailedError extends ApplicationError {
  override readonly name = 'RetryFailedError';
  readonly status = 422;
  readonly code = 'RETRY_FAILED';

  constructor(
    message: string,
    override readonly details: { reason: string; deadLetter: Record<string, unknown> },
  ) {
    super(message);
  }
}

export class DeadLetterRetriedError extends ApplicationError {
  override readonly name = 'DeadLetterRetriedError';
  readonly status = 409;
  readonly code = 'DEAD_LETTER_ALREADY_RETRIED';
}

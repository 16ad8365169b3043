/**
 * The codes a domain rule can fail with. Each has one meaning for clients;
 * the HTTP layer maps the kind to a status (not-found 404, the rest 422).
 */
export type DomainErrorCode =
  | 'ORDER_NOT_FOUND'
  | 'PRODUCT_NOT_FOUND'
  | 'CUSTOMER_NOT_FOUND'
  | 'INVALID_STATUS_TRANSITION'
  | 'ORDER_CANNOT_BE_CANCELLED'
  | 'INSUFFICIENT_INVENTORY'
  | 'PRODUCT_DISCONTINUED'
  | 'UNKNOWN_PRODUCTS'
  | 'BELOW_ALLOCATED'
  | 'RETURN_EXCEEDS_ALLOCATION'
  | 'TOTAL_MISMATCH'
  | 'INVALID_ORDER'
  | 'INVALID_QUANTITY'
  | 'PRODUCT_NOT_IN_ORDER'
  | 'QUANTITY_EXCEEDS_REMAINING';

const NOT_FOUND: ReadonlySet<DomainErrorCode> = new Set(['ORDER_NOT_FOUND', 'PRODUCT_NOT_FOUND', 'CUSTOMER_NOT_FOUND']);

/** A command that breaks a business rule. Nothing is recorded when it is thrown. */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Machine-readable facts for the client, e.g. which products are short. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get isNotFound(): boolean {
    return NOT_FOUND.has(this.code);
  }
}

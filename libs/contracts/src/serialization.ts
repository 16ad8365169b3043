import { AGGREGATE_TYPES, type AggregateType, type EventEnvelope } from './event-envelope';

/** A message that is not a well-formed envelope; consumers dead-letter it. */
export class EnvelopeFormatError extends Error {
  override readonly name = 'EnvelopeFormatError';
}

export function serializeEnvelope(envelope: EventEnvelope): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function fail(reason: string): never {
  throw new EnvelopeFormatError(`invalid event envelope: ${reason}`);
}

function nonEmptyString(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value.length === 0) fail(`${key} must be a non-empty string`);
  return value;
}

function positiveInteger(record: Record<string, unknown>, key: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(`${key} must be an integer >= 1`);
  }
  return value;
}

/** Parses and structurally checks an envelope; the payload is checked per event type elsewhere. */
export function deserializeEnvelope(value: Buffer | string | null): EventEnvelope {
  if (value === null) fail('message has no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    fail('value is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('value is not a JSON object');
  const record = parsed as Record<string, unknown>;

  const aggregateType = record.aggregateType;
  if (!AGGREGATE_TYPES.includes(aggregateType as AggregateType)) {
    fail(`aggregateType must be one of ${AGGREGATE_TYPES.join(', ')}`);
  }
  const occurredAt = nonEmptyString(record, 'occurredAt');
  if (!ISO_UTC.test(occurredAt)) fail('occurredAt must be an ISO-8601 UTC timestamp');
  const causationId = record.causationId ?? null;
  if (causationId !== null && typeof causationId !== 'string') fail('causationId must be a string or null');
  if (typeof record.payload !== 'object' || record.payload === null || Array.isArray(record.payload)) {
    fail('payload must be a JSON object');
  }

  return {
    eventId: nonEmptyString(record, 'eventId'),
    eventType: nonEmptyString(record, 'eventType'),
    schemaVersion: positiveInteger(record, 'schemaVersion'),
    aggregateType: aggregateType as AggregateType,
    aggregateId: nonEmptyString(record, 'aggregateId'),
    aggregateVersion: positiveInteger(record, 'aggregateVersion'),
    occurredAt,
    correlationId: nonEmptyString(record, 'correlationId'),
    causationId,
    payload: record.payload,
  };
}

/** The envelope, or null when the message is not one (for tools that skip such messages, as consumers park them). */
export function envelopeOrNull(value: Buffer | string | null): EventEnvelope | null {
  try {
    return deserializeEnvelope(value);
  } catch {
    return null;
  }
}

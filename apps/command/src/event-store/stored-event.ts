import type { AggregateType, EventEnvelope } from '@of/contracts';

const quote = JSON.stringify;

/**
 * The envelope as published to Kafka, built around a payload serialized once
 * (the same text `JSON.stringify(envelope)` gives, field order included).
 */
export function envelopeJson(envelope: EventEnvelope, payloadJson: string): string {
  return (
    `{"eventId":${quote(envelope.eventId)},"eventType":${quote(envelope.eventType)},` +
    `"schemaVersion":${envelope.schemaVersion},"aggregateType":${quote(envelope.aggregateType)},` +
    `"aggregateId":${quote(envelope.aggregateId)},"aggregateVersion":${envelope.aggregateVersion},` +
    `"occurredAt":${quote(envelope.occurredAt)},"correlationId":${quote(envelope.correlationId)},` +
    `"causationId":${envelope.causationId === null ? 'null' : quote(envelope.causationId)},"payload":${payloadJson}}`
  );
}

/**
 * What the store keeps of an event: an array without the field names and
 * without what its stream already says (aggregate type, id and version),
 * about a third smaller than the envelope.
 */
export function storedEventText(envelope: EventEnvelope, payloadJson: string): string {
  return (
    `[${quote(envelope.eventId)},${quote(envelope.eventType)},${envelope.schemaVersion},` +
    `${quote(envelope.occurredAt)},${quote(envelope.correlationId)},` +
    `${envelope.causationId === null ? 'null' : quote(envelope.causationId)},${payloadJson}]`
  );
}

type StoredFields = [string, string, number, string, string, string | null, unknown];

/** The envelope again, from the stored text and its place in the stream. */
export function restoreEnvelope(
  aggregateType: AggregateType,
  aggregateId: string,
  aggregateVersion: number,
  text: string,
): EventEnvelope {
  const [eventId, eventType, schemaVersion, occurredAt, correlationId, causationId, payload] = JSON.parse(
    text,
  ) as StoredFields;
  return {
    eventId,
    eventType,
    schemaVersion,
    aggregateType,
    aggregateId,
    aggregateVersion,
    occurredAt,
    correlationId,
    causationId,
    payload,
  };
}

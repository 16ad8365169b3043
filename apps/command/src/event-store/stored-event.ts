import type { EventEnvelope } from '@of/contracts';

const quote = JSON.stringify;

/**
 * The envelope as published to Kafka, built around a payload serialized once
 * (the same text `JSON.stringify(envelope)` gives, field order included). The
 * store keeps this same text, so replay copies what Kafka hands back.
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

const VERSION_KEY = Buffer.from('"aggregateVersion":', 'utf8');
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * The aggregateVersion of a serialized envelope, found without parsing it, or
 * null if there is none to read. The key's closing quote follows a letter, so
 * the match cannot lie inside a JSON string (there every quote is escaped): it
 * is a key. It is the envelope's own only if no object comes before it, as in
 * what `envelopeJson` writes; the full parse when the stream is folded checks.
 */
export function scanAggregateVersion(value: Buffer): number | null {
  const at = value.indexOf(VERSION_KEY);
  if (at < 0) return null;
  let version = 0;
  let end = at + VERSION_KEY.length;
  for (; end < value.length && value[end] >= DIGIT_0 && value[end] <= DIGIT_9; end += 1) {
    version = version * 10 + (value[end] - DIGIT_0);
  }
  const digits = end - at - VERSION_KEY.length;
  return digits === 0 || digits > 15 ? null : version;
}

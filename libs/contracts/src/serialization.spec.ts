import type { EventEnvelope } from './event-envelope';
import { deserializeEnvelope, EnvelopeFormatError, serializeEnvelope } from './serialization';

const envelope: EventEnvelope = {
  eventId: '0b6f5c1e-6c3e-4a53-9a9f-1f7f8e2b7c10',
  eventType: 'OrderCreated',
  schemaVersion: 1,
  aggregateType: 'Order',
  aggregateId: 'c2a4b0c8-0d5e-4b8e-9a51-7f0f5f7d8e21',
  aggregateVersion: 1,
  occurredAt: '2026-11-21T10:00:00.000Z',
  correlationId: 'req-1',
  causationId: null,
  payload: { customerId: 'cust-1' },
};

describe('event envelope serialization', () => {
  it('round-trips an envelope through JSON bytes', () => {
    expect(deserializeEnvelope(serializeEnvelope(envelope))).toEqual(envelope);
  });

  it('accepts a string value and a missing causationId', () => {
    const { causationId: _ignored, ...withoutCausation } = envelope;
    expect(deserializeEnvelope(JSON.stringify(withoutCausation))).toEqual(envelope);
  });

  it.each([
    ['a null value', null, 'message has no value'],
    ['non-JSON', 'not json', 'value is not JSON'],
    ['a JSON array', '[]', 'value is not a JSON object'],
    ['an unknown aggregate type', JSON.stringify({ ...envelope, aggregateType: 'Invoice' }), 'aggregateType'],
    ['a version of 0', JSON.stringify({ ...envelope, aggregateVersion: 0 }), 'aggregateVersion'],
    ['a fractional schema version', JSON.stringify({ ...envelope, schemaVersion: 1.5 }), 'schemaVersion'],
    ['a local timestamp', JSON.stringify({ ...envelope, occurredAt: '2026-11-21T10:00:00+01:00' }), 'occurredAt'],
    ['an empty event id', JSON.stringify({ ...envelope, eventId: '' }), 'eventId'],
    ['a numeric causation id', JSON.stringify({ ...envelope, causationId: 7 }), 'causationId'],
    ['a string payload', JSON.stringify({ ...envelope, payload: 'x' }), 'payload'],
  ])('rejects %s', (_case, value, reason) => {
    expect(() => deserializeEnvelope(value)).toThrow(EnvelopeFormatError);
    expect(() => deserializeEnvelope(value)).toThrow(reason);
  });
});

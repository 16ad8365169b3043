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
    { case: 'a null value', value: null, reason: 'message has no value' },
    { case: 'non-JSON', value: 'not json', reason: 'value is not JSON' },
    { case: 'a JSON array', value: '[]', reason: 'value is not a JSON object' },
    {
      case: 'an unknown aggregate type',
      value: JSON.stringify({ ...envelope, aggregateType: 'Invoice' }),
      reason: 'aggregateType',
    },
    { case: 'a version of 0', value: JSON.stringify({ ...envelope, aggregateVersion: 0 }), reason: 'aggregateVersion' },
    {
      case: 'a fractional schema version',
      value: JSON.stringify({ ...envelope, schemaVersion: 1.5 }),
      reason: 'schemaVersion',
    },
    {
      case: 'a local timestamp',
      value: JSON.stringify({ ...envelope, occurredAt: '2026-11-21T10:00:00+01:00' }),
      reason: 'occurredAt',
    },
    { case: 'an empty event id', value: JSON.stringify({ ...envelope, eventId: '' }), reason: 'eventId' },
    { case: 'a numeric causation id', value: JSON.stringify({ ...envelope, causationId: 7 }), reason: 'causationId' },
    { case: 'a string payload', value: JSON.stringify({ ...envelope, payload: 'x' }), reason: 'payload' },
  ])('rejects $case', ({ value, reason }) => {
    expect(() => deserializeEnvelope(value)).toThrow(EnvelopeFormatError);
    expect(() => deserializeEnvelope(value)).toThrow(reason);
  });
});

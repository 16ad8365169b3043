import type { EventEnvelope } from '@of/contracts';
import { envelopeJson, scanAggregateVersion } from './stored-event';

const envelope = (overrides: Partial<EventEnvelope> = {}): EventEnvelope => ({
  eventId: '0b0e5b5e-8a4f-4a43-9d8e-2f1f1d0f5e11',
  eventType: 'OrderCreated',
  schemaVersion: 1,
  aggregateType: 'Order',
  aggregateId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  aggregateVersion: 3,
  occurredAt: '2026-11-21T08:00:00.000Z',
  correlationId: 'client "quoted" \\ id ✓',
  causationId: null,
  payload: { orderId: 'x', lines: [{ productId: 'sku-1', quantity: 2 }], note: 'line\nbreak' },
  ...overrides,
});

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('stored events', () => {
  it.each([
    { case: 'no causation', event: envelope() },
    { case: 'with causation', event: envelope({ causationId: 'c-1' }) },
  ])('publishes exactly what JSON.stringify gives ($case)', ({ event }) => {
    expect(envelopeJson(event, JSON.stringify(event.payload))).toBe(JSON.stringify(event));
  });

  it('reads the version without parsing, past a string that spells the key', () => {
    for (const version of [1, 3, 42, 123_456_789]) {
      const event = envelope({ aggregateVersion: version, eventId: 'id "aggregateVersion":9' });
      expect(scanAggregateVersion(bytes(envelopeJson(event, JSON.stringify(event.payload))))).toBe(version);
    }
  });

  it('finds no version where there is none to read', () => {
    expect(scanAggregateVersion(bytes('{"eventId":"e"}'))).toBeNull();
    expect(scanAggregateVersion(bytes('{"aggregateVersion":"3"}'))).toBeNull();
    expect(scanAggregateVersion(bytes('{"aggregateVersion":1234567890123456}'))).toBeNull();
  });
});

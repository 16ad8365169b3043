import type { EventEnvelope } from '@of/contracts';
import { envelopeJson, restoreEnvelope, storedEventText } from './stored-event';

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

describe('stored events', () => {
  it.each([
    ['no causation', envelope()],
    ['with causation', envelope({ causationId: 'c-1' })],
  ])('publishes exactly what JSON.stringify gives (%s)', (_, event) => {
    expect(envelopeJson(event, JSON.stringify(event.payload))).toBe(JSON.stringify(event));
  });

  it('restores the envelope from the stored text and its place in the stream', () => {
    const event = envelope({ causationId: 'c-2' });
    const text = storedEventText(event, JSON.stringify(event.payload));
    expect(restoreEnvelope('Order', event.aggregateId, 3, text)).toEqual(event);
    expect(text.length).toBeLessThan(JSON.stringify(event).length * 0.75);
  });
});

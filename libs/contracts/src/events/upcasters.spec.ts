import type { EventEnvelope } from '../event-envelope';
import { EventSchemaError } from './event-schemas';
import { UpcasterRegistry } from './upcasters';

const envelope = (schemaVersion: number, payload: Record<string, unknown>): EventEnvelope => ({
  eventId: 'e1',
  eventType: 'OrderCancelled',
  schemaVersion,
  aggregateType: 'Order',
  aggregateId: 'o1',
  aggregateVersion: 2,
  occurredAt: '2026-11-21T10:00:00.000Z',
  correlationId: 'c1',
  causationId: null,
  payload,
});

describe('UpcasterRegistry', () => {
  // A made-up history: v1 had `why`, v2 renamed it to `reason`, v3 added `source`.
  const registry = new UpcasterRegistry({ OrderCancelled: 3 })
    .register('OrderCancelled', 1, ({ why, ...rest }) => ({ ...rest, reason: why }))
    .register('OrderCancelled', 2, (payload) => ({ ...payload, source: 'unknown' }));

  it('lifts an old payload step by step to the current version', () => {
    expect(registry.upcast(envelope(1, { orderId: 'o1', why: 'late' }))).toMatchObject({
      schemaVersion: 3,
      payload: { orderId: 'o1', reason: 'late', source: 'unknown' },
    });
  });

  it('leaves a current payload untouched', () => {
    const current = envelope(3, { orderId: 'o1', reason: null, source: 'api' });
    expect(registry.upcast(current)).toBe(current);
  });

  it('refuses versions it cannot lift: unknown type, missing step, or from the future', () => {
    expect(() => registry.upcast({ ...envelope(1, {}), eventType: 'Nope' })).toThrow(EventSchemaError);
    expect(() => new UpcasterRegistry({ OrderCancelled: 2 }).upcast(envelope(1, {}))).toThrow('no upcaster');
    expect(() => registry.upcast(envelope(4, {}))).toThrow('newer');
  });
});

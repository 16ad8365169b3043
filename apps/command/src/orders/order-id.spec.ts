import { UUID_PATTERN } from '@of/domain';
import { newOrderId } from './order-id';

describe('newOrderId', () => {
  it('makes UUIDs of version 7 that start with the time they were made', () => {
    const before = Date.now();
    const id = newOrderId();
    const after = Date.now();
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    const madeAt = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(madeAt).toBeGreaterThanOrEqual(before);
    expect(madeAt).toBeLessThanOrEqual(after);
  });

  it('makes distinct ids that sort in the order they were made', () => {
    const ids = Array.from({ length: 10_000 }, () => newOrderId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

import { compareCreation } from './creation-order';

describe('the creation order of list documents', () => {
  const at = (createdAt: string, _id: string) => ({ createdAt, _id });

  it('orders by creation time, then by id within the same time', () => {
    const sorted = [
      at('2026-12-05T00:00:01.000Z', 'b'),
      at('2026-12-05T00:00:00.500Z', 'z'),
      at('2026-12-05T00:00:01.000Z', 'a'),
    ].sort(compareCreation);
    expect(sorted.map((key) => key._id)).toEqual(['z', 'a', 'b']);
  });

  it('is zero only for the same key', () => {
    expect(compareCreation(at('t', 'a'), at('t', 'a'))).toBe(0);
    expect(compareCreation(at('t', 'a'), at('t', 'b'))).toBeLessThan(0);
    expect(compareCreation(at('u', 'a'), at('t', 'b'))).toBeGreaterThan(0);
  });
});

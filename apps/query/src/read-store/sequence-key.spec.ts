import { sequenceKey } from './sequence-key';

describe('the sequence key', () => {
  it('sorts as the numbers do', () => {
    const numbers = [10, 9, 0, 100, 99, 1_000_000, 19, 20];
    const byKey = [...numbers].sort((a, b) => (sequenceKey(a) < sequenceKey(b) ? -1 : 1));
    expect(byKey).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('has a fixed width', () => {
    expect(sequenceKey(0)).toBe('000000000000');
    expect(sequenceKey(999_999_999_999)).toBe('999999999999');
  });

  it('refuses what is not a whole number in range', () => {
    for (const seq of [-1, 1.5, Number.NaN, 1e12]) expect(() => sequenceKey(seq)).toThrow(RangeError);
  });
});

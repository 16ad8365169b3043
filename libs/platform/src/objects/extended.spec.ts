import { extended } from './extended';

describe('extended', () => {
  it('copies the base and adds the fields, the fields winning', () => {
    const base = { a: 1, b: 'two' };
    const result = extended(base, { b: 2, c: true });
    expect(result).toEqual({ a: 1, b: 2, c: true });
    expect(base).toEqual({ a: 1, b: 'two' });
  });

  it('keeps the order of a spread: the base keys first, then the new ones', () => {
    expect(Object.keys(extended({ x: 1, y: 2 }, { z: 3, x: 4 }))).toEqual(['x', 'y', 'z']);
  });
});

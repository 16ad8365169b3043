import { slopeMiBPerMinute } from './soak.bench';

describe('the soak memory slope', () => {
  const MiB = 2 ** 20;

  it('fits MiB per minute to the samples after the warm-up only', () => {
    const samples = [
      { second: 0, bytes: 100 * MiB },
      { second: 30, bytes: 400 * MiB }, // warm-up growth, left out
      { second: 60, bytes: 500 * MiB },
      { second: 120, bytes: 502 * MiB },
      { second: 180, bytes: 504 * MiB },
    ];
    expect(slopeMiBPerMinute(samples, 60)).toBe(2);
  });

  it('is flat for flat memory, and unknown without two samples', () => {
    expect(
      slopeMiBPerMinute(
        [0, 10, 20].map((second) => ({ second, bytes: 300 * MiB })),
        0,
      ),
    ).toBe(0);
    expect(slopeMiBPerMinute([{ second: 0, bytes: 1 }], 0)).toBeNaN();
  });
});

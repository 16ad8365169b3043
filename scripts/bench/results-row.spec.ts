import { resultsRow } from './results-row';

describe('the results row make bench prints for docs/performance.md', () => {
  const figures = [
    { figure: 'registrations/s', value: '2,400', goal: '>= 2000', verdict: 'met' as const },
    { figure: '  p50 / p99 (ms)', value: '15 / 48', goal: '-', verdict: '-' as const },
    { figure: 'machine speed: fixed JS workload (ms)', value: '151 / 140', goal: '-', verdict: '-' as const },
  ];

  it('is one Markdown table row: date, sections, every figure with its verdict, machine speed', () => {
    expect(
      resultsRow({
        date: '2026-12-04',
        sections: ['commands'],
        smoke: false,
        figures,
        speed: { startMs: 151, endMs: 140 },
      }),
    ).toBe(
      '| 2026-12-04 | commands | registrations/s: 2,400 (goal >= 2000: met); p50 / p99 (ms): 15 / 48 | 151 / 140 |',
    );
  });

  it('keeps a cell from splitting the table, and says when the run was a smoke run', () => {
    const row = resultsRow({
      date: '2026-12-04',
      sections: ['queries'],
      smoke: true,
      figures: [{ figure: 'a | b', value: 'x|y', goal: '-', verdict: '-' }],
      speed: { startMs: 1 },
    });
    expect(row).toBe('| 2026-12-04 | queries (smoke run, not judged) | a / b: x/y | 1 / - |');
    expect(row.split('|')).toHaveLength(6);
  });
});

// The line `make bench` prints for docs/performance.md's results table, so a
// full run is recorded as measured, with its date, sections and machine speed.

export interface BenchFigure {
  figure: string;
  value: string;
  goal: string;
  verdict: 'met' | 'MISSED' | '-';
}

/** Pipes would split a Markdown table cell. */
const cell = (text: string) => text.replace(/\|/g, '/').replace(/\s+/g, ' ').trim();

export function resultsRow(options: {
  date: string;
  sections: readonly string[];
  smoke: boolean;
  figures: readonly BenchFigure[];
  speed: { startMs: number; endMs?: number };
}): string {
  const { date, sections, smoke, figures, speed } = options;
  const measured = figures
    .filter((figure) => !figure.figure.startsWith('machine speed'))
    .map((figure) => {
      const judged = figure.goal === '-' ? '' : ` (goal ${figure.goal}: ${figure.verdict})`;
      return `${figure.figure.trim()}: ${figure.value}${judged}`;
    });
  const what = `${sections.join(', ')}${smoke ? ' (smoke run, not judged)' : ''}`;
  return `| ${date} | ${cell(what)} | ${cell(measured.join('; '))} | ${speed.startMs} / ${speed.endMs ?? '-'} |`;
}

import type { AdminApi } from './admin-api';
import { h, problemLine, show } from './dom';

interface PartitionStatus {
  topic: string;
  partition: number;
  committedOffset: number;
  endOffset: number;
  lag: number;
  lastEventAt: string | null;
}

interface RebuildStatus {
  state: 'idle' | 'running' | 'completed' | 'failed';
  generation: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  eventsApplied: number;
  lag: number | null;
  error: string | null;
}

interface ProjectionsAnswer {
  data: {
    generation: number;
    schema: number;
    running: boolean;
    lag: number;
    lastEventAt: string | null;
    partitions: PartitionStatus[];
    lastError: string | null;
    rebuild: RebuildStatus;
  };
}

const REFRESH_MS = 2000;

/**
 * The live projection (`GET /api/v1/admin/projections`): its generation,
 * position and lag per partition, and any rebuild with its progress, with a
 * button to start one. Refreshed every two seconds while it is shown.
 */
export function projectionsPanel(api: AdminApi): { element: HTMLElement; refresh: () => Promise<void> } {
  const body = h('div', { id: 'projections-body' });
  const rebuildButton = h('button', { type: 'button', id: 'start-rebuild' }, 'Rebuild all read models');
  const message = h('div', {});
  rebuildButton.addEventListener('click', () => {
    if (!confirm('Rebuild every read model from the start of the topics? The current ones serve until the switch.'))
      return;
    rebuildButton.disabled = true;
    api
      .post('/api/v1/admin/projections/rebuild')
      .then(() => show(message, h('p', { class: 'ok' }, 'Rebuild started.')))
      .catch((error: unknown) => show(message, problemLine(error)))
      .finally(() => void refresh());
  });
  const element = h('section', { id: 'projections', 'aria-label': 'Projections' }, body, rebuildButton, message);

  let timer: number | undefined;
  const refresh = async (): Promise<void> => {
    window.clearTimeout(timer);
    try {
      const { data } = await api.get<ProjectionsAnswer>('/api/v1/admin/projections');
      show(body, summary(data), partitionsTable(data.partitions), rebuildView(data.rebuild));
      rebuildButton.disabled = data.rebuild.state === 'running';
    } catch (error) {
      show(body, problemLine(error));
    }
    if (element.isConnected && !element.hidden) timer = window.setTimeout(() => void refresh(), REFRESH_MS);
  };
  return { element, refresh };
}

function summary(data: ProjectionsAnswer['data']): HTMLElement {
  return h(
    'p',
    { class: 'summary' },
    `Generation ${data.generation} (schema ${data.schema}), `,
    h('strong', {}, data.running ? 'running' : 'not running'),
    `, ${data.lag} events behind`,
    data.lastEventAt ? `, last event ${data.lastEventAt}` : '',
    data.lastError ? h('span', { class: 'problem' }, ` — ${data.lastError}`) : null,
  );
}

function partitionsTable(partitions: PartitionStatus[]): HTMLTableElement {
  return h(
    'table',
    { id: 'partitions' },
    h(
      'thead',
      {},
      h('tr', {}, ...['topic', 'partition', 'position', 'end', 'lag', 'last event'].map((name) => h('th', {}, name))),
    ),
    h(
      'tbody',
      {},
      ...partitions.map((p) =>
        h(
          'tr',
          { class: p.lag > 0 ? 'behind' : undefined },
          h('td', {}, p.topic),
          h('td', { class: 'number' }, p.partition),
          h('td', { class: 'number' }, p.committedOffset),
          h('td', { class: 'number' }, p.endOffset),
          h('td', { class: 'number' }, p.lag),
          h('td', {}, p.lastEventAt ?? '—'),
        ),
      ),
    ),
  );
}

function rebuildView(rebuild: RebuildStatus): HTMLElement {
  if (rebuild.state === 'idle') return h('p', { id: 'rebuild-status' }, 'No rebuild since this app started.');
  const done = rebuild.eventsApplied;
  const total = rebuild.lag === null ? null : done + rebuild.lag;
  return h(
    'div',
    { id: 'rebuild-status' },
    h(
      'p',
      {},
      `Rebuild into generation ${rebuild.generation ?? '?'}: `,
      h('strong', {}, rebuild.state),
      rebuild.startedAt ? `, started ${rebuild.startedAt}` : '',
      rebuild.finishedAt ? `, finished ${rebuild.finishedAt}` : '',
      rebuild.error ? h('span', { class: 'problem' }, ` — ${rebuild.error}`) : null,
    ),
    rebuild.state === 'running' && total
      ? h('progress', { max: total, value: done }, `${done} of ${total} events`)
      : null,
    rebuild.state === 'running'
      ? h('span', { class: 'muted' }, ` ${done} events applied, ${rebuild.lag ?? '?'} to go`)
      : null,
  );
}

import { type AdminApi, ApiProblem } from './admin-api';
import { h, problemLine, show } from './dom';

interface DeadLetter {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  reason: string;
  detail: string;
  failedAt: string;
  value: string | null;
  valueEncoding: 'utf8' | 'base64';
  event: { type: string; aggregateId: string; aggregateVersion: number } | null;
  status: 'OPEN' | 'RETRIED' | 'DISCARDED';
  statusChangedAt: string | null;
  discardReason: string | null;
  lastFailedRetry: { at: string; reason: string; detail: string } | null;
  alsoRetried?: string[];
}

interface Page {
  data: DeadLetter[];
  nextCursor: string | null;
}

const PAGE_SIZE = 50;

/**
 * Dead letters (`/api/v1/admin/dead-letters`): filtered by status and topic,
 * each with its reason, detail and raw value, and buttons to retry it (after
 * a fix) or discard it.
 */
export function deadLettersPanel(api: AdminApi): { element: HTMLElement; refresh: () => Promise<void> } {
  const status = h(
    'select',
    { id: 'dead-letter-status' },
    h('option', { value: 'OPEN' }, 'open'),
    h('option', { value: 'RETRIED' }, 'retried'),
    h('option', { value: 'DISCARDED' }, 'discarded'),
    h('option', { value: '' }, 'any status'),
  );
  const topic = h('input', { id: 'dead-letter-topic', placeholder: 'any topic', size: 24 });
  const rows = h('tbody', {});
  const message = h('div', { id: 'dead-letter-message' });
  const more = h('button', { id: 'dead-letters-more', type: 'button', hidden: true }, 'Load more');
  let cursor: string | null = null;

  const load = async (reset: boolean): Promise<void> => {
    if (reset) {
      cursor = null;
      rows.replaceChildren();
      message.replaceChildren();
    }
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (status.value) query.set('status', status.value);
    if (topic.value.trim()) query.set('topic', topic.value.trim());
    if (cursor) query.set('cursor', cursor);
    try {
      const page = await api.get<Page>(`/api/v1/admin/dead-letters?${query.toString()}`);
      rows.append(...page.data.map((letter) => letterRow(api, letter, message)));
      if (rows.childElementCount === 0) rows.append(h('tr', {}, h('td', { colspan: 6 }, 'No dead letters here.')));
      cursor = page.nextCursor;
      more.hidden = cursor === null;
    } catch (error) {
      show(message, problemLine(error));
    }
  };
  more.addEventListener('click', () => void load(false));
  const filters = h(
    'form',
    {
      class: 'row',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void load(true);
      },
    },
    h('label', { for: 'dead-letter-status' }, 'Status'),
    status,
    h('label', { for: 'dead-letter-topic' }, 'Topic'),
    topic,
    h('button', { type: 'submit' }, 'List'),
  );
  const table = h(
    'table',
    { id: 'dead-letters-table' },
    h(
      'thead',
      {},
      h('tr', {}, ...['failed at', 'where', 'reason', 'key', 'status', ''].map((name) => h('th', {}, name))),
    ),
    rows,
  );
  const element = h('section', { id: 'dead-letters', 'aria-label': 'Dead letters' }, filters, message, table, more);
  return { element, refresh: () => load(true) };
}

function letterRow(api: AdminApi, letter: DeadLetter, message: HTMLElement): HTMLTableRowElement {
  const row = h('tr', { 'data-id': letter.id, class: `status-${letter.status.toLowerCase()}` });
  const replace = (next: DeadLetter) => row.replaceWith(letterRow(api, next, message));
  const retry = async () => {
    try {
      const { data } = await api.post<{ data: DeadLetter }>(`/api/v1/admin/dead-letters/${enc(letter.id)}/retry`);
      replace(data);
      const also = data.alsoRetried?.length ? ` Also retried: ${data.alsoRetried.join(', ')}.` : '';
      show(message, h('p', { class: 'ok', role: 'status' }, `${letter.id} retried: the read models show it.${also}`));
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 422) {
        replace(error.body.deadLetter as DeadLetter);
        show(message, h('p', { class: 'problem', role: 'alert' }, `${letter.id} still fails: ${error.message}`));
      } else show(message, problemLine(error));
    }
  };
  const discard = async () => {
    const reason = prompt(`Discard ${letter.id}? Why (optional):`);
    if (reason === null) return;
    try {
      const { data } = await api.delete<{ data: DeadLetter }>(`/api/v1/admin/dead-letters/${enc(letter.id)}`, {
        reason: reason || undefined,
      });
      replace(data);
      show(message, h('p', { class: 'ok', role: 'status' }, `${letter.id} discarded.`));
    } catch (error) {
      show(message, problemLine(error));
    }
  };
  row.append(
    h('td', {}, h('time', { datetime: letter.failedAt }, letter.failedAt)),
    h('td', {}, `${letter.topic} / ${letter.partition} @ ${letter.offset}`),
    h('td', {}, h('strong', {}, letter.reason), h('div', { class: 'muted' }, letter.detail)),
    h(
      'td',
      {},
      letter.key ?? '—',
      letter.event ? h('div', { class: 'muted' }, `${letter.event.type} v${letter.event.aggregateVersion}`) : null,
    ),
    h(
      'td',
      {},
      h('span', { class: 'status' }, letter.status),
      letter.discardReason ? h('div', { class: 'muted' }, letter.discardReason) : null,
      letter.lastFailedRetry
        ? h('div', { class: 'problem' }, `last retry: ${letter.lastFailedRetry.reason} (${letter.lastFailedRetry.at})`)
        : null,
    ),
    h(
      'td',
      { class: 'actions' },
      letter.status !== 'RETRIED'
        ? h('button', { type: 'button', class: 'retry', onclick: () => void retry() }, 'Retry')
        : null,
      letter.status === 'OPEN'
        ? h('button', { type: 'button', class: 'discard', onclick: () => void discard() }, 'Discard')
        : null,
      h('details', {}, h('summary', {}, `value (${letter.valueEncoding})`), h('pre', {}, letter.value ?? '(no value)')),
    ),
  );
  return row;
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

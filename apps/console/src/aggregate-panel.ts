import { type AdminApi, ApiProblem } from './admin-api';
import { h, json, problemLine, show } from './dom';

interface EventEnvelope {
  eventId: string;
  eventType: string;
  aggregateType: 'Order' | 'Inventory';
  aggregateId: string;
  aggregateVersion: number;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  payload: unknown;
}

interface AggregateAnswer {
  data: { aggregateType: 'Order' | 'Inventory'; version: number; state: unknown };
}

interface EventsAnswer {
  data: { aggregateType: 'Order' | 'Inventory'; version: number; events: EventEnvelope[] };
}

/** Events shown at once; older ones come on request. */
const WINDOW = 25;
/** States asked for side by side (each is folded from Kafka by the command app). */
const PARALLEL = 4;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const KIND = { Order: 'orders', Inventory: 'inventory' } as const;

/**
 * Any aggregate by id: its events as a timeline, newest first, each with
 * its correlation and causation ids and the aggregate's state right after it
 * (`GET /api/v1/admin/events/{id}` and `/admin/aggregates/{kind}/{id}?atVersion=N`).
 */
export function aggregatePanel(api: AdminApi): HTMLElement {
  const input = h('input', { id: 'aggregate-id', placeholder: 'order id or product id', size: 40, required: true });
  const result = h('div', { id: 'aggregate-result' });
  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void load(api, input.value.trim(), result);
      },
    },
    h('label', { for: 'aggregate-id' }, 'Aggregate'),
    input,
    h('button', { type: 'submit' }, 'Show'),
  );
  return h('section', { id: 'aggregate', 'aria-label': 'Aggregate' }, form, result);
}

async function load(api: AdminApi, id: string, result: HTMLElement): Promise<void> {
  if (!id) return;
  show(result, h('p', {}, 'Loading…'));
  try {
    const latest = await latestOf(api, id);
    const type = latest.data.aggregateType;
    const timeline = h('ol', { class: 'timeline', reversed: true });
    show(
      result,
      h('h3', {}, `${type} ${id}`, h('span', { class: 'muted' }, ` at version ${latest.data.version}`)),
      json('Current state', latest.data.state, true),
      timeline,
    );
    await appendEvents(api, type, id, latest.data.version, timeline);
  } catch (error) {
    show(result, problemLine(error));
  }
}

/** The latest state, trying an order first for a UUID (as the API does), else a product. */
async function latestOf(api: AdminApi, id: string): Promise<AggregateAnswer> {
  const kinds = UUID.test(id) ? (['orders', 'inventory'] as const) : (['inventory'] as const);
  let lastError: unknown = null;
  for (const kind of kinds) {
    try {
      return await api.get<AggregateAnswer>(`/api/v1/admin/aggregates/${kind}/${encodeURIComponent(id)}`);
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status !== 404) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** The events up to `upTo`, the last WINDOW of them, then a button for the ones before. */
async function appendEvents(
  api: AdminApi,
  type: 'Order' | 'Inventory',
  id: string,
  upTo: number,
  timeline: HTMLOListElement,
): Promise<void> {
  const from = Math.max(1, upTo - WINDOW + 1);
  const answer = await api.get<EventsAnswer>(
    `/api/v1/admin/events/${encodeURIComponent(id)}?type=${type}&fromVersion=${from}`,
  );
  const events = answer.data.events.filter((event) => event.aggregateVersion <= upTo).reverse();
  const items = events.map((event) => eventItem(event));
  timeline.append(...items.map((item) => item.element));
  if (from > 1) {
    const more = h('li', { class: 'more' });
    more.append(
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            more.remove();
            void appendEvents(api, type, id, from - 1, timeline).catch((error: unknown) =>
              timeline.append(h('li', {}, problemLine(error))),
            );
          },
        },
        `Show ${Math.min(WINDOW, from - 1)} earlier events`,
      ),
    );
    timeline.append(more);
  }
  // The state after each event, a few requests at a time.
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      try {
        const state = await api.get<AggregateAnswer>(
          `/api/v1/admin/aggregates/${KIND[type]}/${encodeURIComponent(id)}?atVersion=${item.version}`,
        );
        show(item.state, json(`State after version ${item.version}`, state.data.state));
      } catch (error) {
        show(item.state, problemLine(error));
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

function eventItem(event: EventEnvelope): { element: HTMLLIElement; state: HTMLElement; version: number } {
  const state = h('div', { class: 'state' }, h('span', { class: 'muted' }, 'state…'));
  const element = h(
    'li',
    { class: 'event', 'data-version': event.aggregateVersion },
    h(
      'div',
      { class: 'event-head' },
      h('strong', {}, `v${event.aggregateVersion} ${event.eventType}`),
      h('time', { datetime: event.occurredAt }, event.occurredAt),
    ),
    h(
      'dl',
      { class: 'ids' },
      h('dt', {}, 'correlation'),
      h('dd', {}, event.correlationId),
      h('dt', {}, 'causation'),
      h('dd', {}, event.causationId ?? '—'),
      h('dt', {}, 'event'),
      h('dd', {}, event.eventId),
    ),
    json('Payload', event.payload),
    state,
  );
  return { element, state, version: event.aggregateVersion };
}

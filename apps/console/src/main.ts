import { AdminApi } from './admin-api';
import { aggregatePanel } from './aggregate-panel';
import { deadLettersPanel } from './dead-letters-panel';
import { h, problemLine, show } from './dom';
import { projectionsPanel } from './projections-panel';

/**
 * The operator console: one page, three panels over the admin APIs, and the
 * admin token entered once and kept in this page's memory only.
 */
function start(root: HTMLElement): void {
  const api = new AdminApi();
  const projections = projectionsPanel(api);
  const deadLetters = deadLettersPanel(api);
  const panels = [
    { name: 'Aggregates', element: aggregatePanel(api), refresh: () => Promise.resolve() },
    { name: 'Projections', element: projections.element, refresh: projections.refresh },
    { name: 'Dead letters', element: deadLetters.element, refresh: deadLetters.refresh },
  ];
  const tabs = h('nav', { role: 'tablist', hidden: true });
  const select = (index: number) => {
    panels.forEach((panel, i) => {
      panel.element.hidden = i !== index;
      tabs.children[i].setAttribute('aria-selected', String(i === index));
    });
    void panels[index].refresh();
  };
  panels.forEach((panel, index) => {
    panel.element.hidden = true;
    tabs.append(h('button', { type: 'button', role: 'tab', onclick: () => select(index) }, panel.name));
  });

  const token = h('input', { id: 'admin-token', type: 'password', autocomplete: 'off', placeholder: 'admin token' });
  const status = h('span', { id: 'token-status', class: 'muted' }, 'Enter the admin token (ADMIN_TOKEN).');
  const login = h(
    'form',
    {
      id: 'login',
      class: 'row',
      onsubmit: (event: Event) => {
        event.preventDefault();
        api.setToken(token.value);
        token.value = '';
        // Checked once against a cheap admin call, so a wrong token says so here.
        api
          .get('/api/v1/admin/projections')
          .then(() => {
            show(status, 'Token accepted (kept in this page only).');
            tabs.hidden = false;
            select(0);
          })
          .catch((error: unknown) => show(status, problemLine(error)));
      },
    },
    h('label', { for: 'admin-token' }, 'Admin token'),
    token,
    h('button', { type: 'submit' }, 'Use'),
    status,
  );
  show(root, h('header', {}, h('h1', {}, 'Order Fulfillment console'), login), tabs, ...panels.map((p) => p.element));
}

start(document.getElementById('console')!);

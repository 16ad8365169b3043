/** Children an element may be given: nodes, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

/**
 * Creates an element: `h('button', { class: 'primary', onclick: retry }, 'Retry')`.
 * Text is always set as text, never parsed as HTML, so event payloads and
 * dead-letter bytes cannot inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children.flat());
  return element;
}

export function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces everything inside `parent`. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A collapsible block of JSON. */
export function json(summary: string, value: unknown, open = false): HTMLDetailsElement {
  return h('details', { open }, h('summary', {}, summary), h('pre', {}, JSON.stringify(value, null, 2)));
}

/** A line that says what went wrong, in the panel where it happened. */
export function problemLine(error: unknown): HTMLElement {
  return h('p', { class: 'problem', role: 'alert' }, error instanceof Error ? error.message : String(error));
}

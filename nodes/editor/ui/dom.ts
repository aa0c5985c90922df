// DOM helpers that only ever set text: everything a person typed (vault and connection names,
// plain values) reaches the page through textContent or an input's value, never as HTML.

export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * el('div', { class: 'x', title: 'y', onclick: fn }, 'text', childNode, ...)
 * Attribute values are set with setAttribute (never parsed); strings among the children become text nodes.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'value') (node as HTMLInputElement).value = String(value);
    else if (key === 'checked') (node as HTMLInputElement).checked = Boolean(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** A Font Awesome 4 icon; the name comes from our own type table but is still checked. */
export function icon(name: string | undefined): HTMLElement {
  const safe = /^fa-[a-z0-9-]+$/.test(name || '') ? name : 'fa-cube';
  return el('i', { class: `fa ${safe}`, 'aria-hidden': 'true' });
}

export function clear<T extends Node>(node: T): T {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** "3 minutes ago" style text for an ISO date; the full date goes in a title. */
export function since(iso: string | undefined): string {
  const t = Date.parse(iso || '');
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

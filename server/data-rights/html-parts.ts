import { escapeHtml } from '../shared/html';

/** Escaping and table helpers for the export's self-contained HTML (summary.html). */
export const esc = escapeHtml;
export const when = (d: Date | null): string =>
  d ? esc(d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC') : '';

export function table(head: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * The names behind a figure, taken away: every row of the list (fetched page by page, at most
 * MAX_ROWS) as a CSV file Excel opens directly (UTF-8 with a byte-order mark, CRLF lines,
 * quoted cells), or as a plain printable page. Used by NamesDrawer's 导出 Excel and 打印.
 */
import type { HitPage, HitRow } from '@/api/types';

export const MAX_ROWS = 20_000;
const BATCH = 500;

/** Fetches every row through the drawer's page fetcher (offset, limit), up to MAX_ROWS. */
export async function fetchAll(fetchPage: (offset: number, limit: number) => Promise<HitPage>): Promise<HitRow[]> {
  const out: HitRow[] = [];
  for (;;) {
    const p = await fetchPage(out.length, BATCH);
    out.push(...p.items);
    if (p.items.length === 0 || out.length >= p.total || out.length >= MAX_ROWS) return out.slice(0, MAX_ROWS);
  }
}

export interface NameColumns {
  index: string;
  name: string;
  gender: string;
  birthDate: string;
  org: string;
  event: string;
  date: string;
}

function cellsOf(r: HitRow, events: boolean): string[] {
  const base = [r.name, r.gender, r.birth_date, r.org_name ?? ''];
  return events ? [...base, r.event_label ?? '', r.date ?? ''] : base;
}

function heads(c: NameColumns, events: boolean): string[] {
  const base = [c.index, c.name, c.gender, c.birthDate, c.org];
  return events ? [...base, c.event, c.date] : base;
}

/** A CSV cell: quoted, quotes doubled; a leading = + - @ is neutralised (no formulas). */
function csvCell(v: string): string {
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The list as CSV text (with the BOM Excel needs to read UTF-8). */
export function namesCsv(title: string, rows: readonly HitRow[], c: NameColumns, events: boolean): string {
  const lines = [[title], heads(c, events), ...rows.map((r, i) => [String(i + 1), ...cellsOf(r, events)])];
  return '\uFEFF' + lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function esc(v: string): string {
  return v.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A printable page of the list: title, total, one table. */
export function namesPrintHtml(title: string, totalLine: string, rows: readonly HitRow[], c: NameColumns, events: boolean): string {
  const th = heads(c, events).map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows
    .map((r, i) => `<tr><td>${i + 1}</td>${cellsOf(r, events).map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
    .join('');
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
    '<style>body{font-family:sans-serif;margin:16px}h1{font-size:18px}table{border-collapse:collapse;width:100%;font-size:12px}' +
    'th,td{border:1px solid #999;padding:3px 6px;text-align:left}@media print{body{margin:0}}</style></head>' +
    `<body><h1>${esc(title)}</h1><p>${esc(totalLine)}</p><table data-testid="names-print-table"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></body></html>`
  );
}

/** A safe file name from a title (no path separators or reserved characters). */
export function fileNameOf(title: string, ext: string): string {
  const base = title.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^_+|_+$/g, '') || 'names';
  return `${base}.${ext}`;
}

/** Display formatting shared by views (no user-facing words here: those live in i18n). */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD` of a Date in local time. */
export function ymd(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** RFC 3339 timestamp → `YYYY-MM-DD HH:mm:ss` in the browser's time zone (input kept if unparsable). */
export function formatDateTime(iso: string | null | undefined, withSeconds = true): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = withSeconds
    ? `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
    : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return `${ymd(d)} ${time}`;
}

/** A count as plain digits (no grouping), as the data-testid figures need. */
export function plain(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '0' : String(n);
}

/** A count with thousands separators, as reports print it: 18434 → 18,434. */
export function grouped(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '0';
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A percentage as the server rounded it (0.01), without trailing zeros: 12.06, 40.2, 0. */
export function percent(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return '0';
  return String(Math.round(p * 100) / 100);
}

/** Finds the first RFC 3339 timestamp in a text (e.g. the lock-out message). */
export function findTimestamp(text: string): string | null {
  const m = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/.exec(text);
  return m ? m[0] : null;
}

/** Only same-app paths are followed after login (no open redirects). */
export function safeRedirect(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string') return fallback;
  if (!target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  if (target.startsWith('/login')) return fallback;
  return target;
}

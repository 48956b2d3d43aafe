/**
 * Query strings and download links for endpoints that the browser fetches directly
 * (file downloads keep the cookie and need no header because they are GETs).
 */
import type { operations } from './schema';

type Scalar = string | number | boolean | null | undefined;

/** `a=1&b=x` from an object; null, undefined and '' are left out, arrays repeat the key. */
export function buildQuery(params: Record<string, Scalar | Scalar[]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) {
      if (x === undefined || x === null || x === '') continue;
      q.append(k, String(x));
    }
  }
  return q.toString();
}

/** Filters of GET /api/v1/members (and its XLSX export), without paging. */
export type MemberFilters = Omit<NonNullable<operations['member_list']['parameters']['query']>, 'page' | 'page_size'>;

/** Query of the XLSX export: the member filters (paging ignored) plus `reveal`. */
export type MemberExportQuery = Omit<NonNullable<operations['member_export']['parameters']['query']>, 'page' | 'page_size'>;

export const MEMBER_EXPORT_PATH = '/api/v1/members/export.xlsx';

/**
 * Link of the member roster XLSX export with the current list filters; use it as the
 * `href` of an `<a download>` (or `window.location.assign`) for the export button.
 */
export function memberExportUrl(filters: MemberExportQuery | MemberFilters): string {
  const { page: _p, page_size: _s, ...rest } = filters as Record<string, Scalar>;
  const qs = buildQuery(rest);
  return qs ? `${MEMBER_EXPORT_PATH}?${qs}` : MEMBER_EXPORT_PATH;
}

/** Download links of the summary (XLSX or CSV) for a subtree on a date. */
export function summaryExportUrl(format: 'xlsx' | 'csv', org?: number | null, asOf?: string | null): string {
  const qs = buildQuery({ org, as_of: asOf });
  const path = `/api/v1/stats/summary.${format}`;
  return qs ? `${path}?${qs}` : path;
}

/** Download link of the annual report as an XLSX workbook (a sheet per table). */
export function annualXlsxUrl(org?: number | null, year?: number | null): string {
  const qs = buildQuery({ org, year });
  return qs ? `/api/v1/stats/annual.xlsx?${qs}` : '/api/v1/stats/annual.xlsx';
}

/** Download link of the annual report as CSV: one table (`table: 'T2'`) or all. */
export function annualCsvUrl(org?: number | null, year?: number | null, table?: string | null): string {
  const qs = buildQuery({ org, year, table });
  return qs ? `/api/v1/stats/annual.csv?${qs}` : '/api/v1/stats/annual.csv';
}

/** Download link of the ratings ledger (分类管理台账) of a subtree and year as XLSX. */
export function ledgerXlsxUrl(org?: number | null, year?: number | null): string {
  const qs = buildQuery({ org, year });
  return qs ? `/api/v1/ratings/ledger.xlsx?${qs}` : '/api/v1/ratings/ledger.xlsx';
}

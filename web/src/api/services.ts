/**
 * Typed wrappers for endpoints whose answers the OpenAPI document leaves untyped.
 * Everything else: call `api.GET/POST/PATCH` directly with `unwrap()`.
 */
import { api, unwrap } from './client';
import type { CodeTables, Summary } from './types';

export async function fetchSummary(org?: number | null, asOf?: string | null): Promise<Summary> {
  const data = await unwrap(
    api.GET('/api/v1/stats/summary', { params: { query: { org: org ?? undefined, as_of: asOf || undefined } } }),
  );
  return data as unknown as Summary;
}

export async function fetchCodes(): Promise<CodeTables> {
  const data = await unwrap(api.GET('/api/v1/codes'));
  return data as unknown as CodeTables;
}

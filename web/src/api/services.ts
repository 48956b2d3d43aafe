/**
 * Typed wrappers for endpoints whose answers the OpenAPI document leaves untyped, and for
 * the statistics drill-downs (names behind a figure).
 * Everything else: call `api.GET/POST/PATCH` directly with `unwrap()`.
 */
import { api, unwrap } from './client';
import type { RatingScheme } from '@/views/rating/round';
import type {
  AnnualReport,
  CalendarAnswer,
  CalendarYear,
  CodeTables,
  HitPage,
  Overlay,
  StatsFilter,
  Summary,
} from './types';

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

/** One page of the members behind a summary figure (GET /api/v1/stats/members). */
export async function fetchFigureMembers(q: {
  org?: number | null;
  asOf?: string | null;
  filter: StatsFilter;
  offset: number;
  limit: number;
}): Promise<HitPage> {
  return unwrap(
    api.GET('/api/v1/stats/members', {
      params: {
        query: {
          org: q.org ?? undefined,
          as_of: q.asOf || undefined,
          filter: JSON.stringify(q.filter),
          offset: q.offset,
          limit: q.limit,
        },
      },
    }),
  );
}

/** The annual report (GET /api/v1/stats/annual); without `year` the server picks the default year. */
export async function fetchAnnual(org?: number | null, year?: number | null): Promise<AnnualReport> {
  const data = await unwrap(
    api.GET('/api/v1/stats/annual', { params: { query: { org: org ?? undefined, year: year ?? undefined } } }),
  );
  return data as unknown as AnnualReport;
}

/**
 * One page of the names behind an annual-report cell (`cell: 'T1/3/A'`) or exception list
 * (`list: 'T3-1'`) — GET /api/v1/stats/annual/drill.
 */
export async function fetchAnnualDrill(q: {
  org?: number | null;
  year?: number | null;
  cell?: string;
  list?: string;
  offset: number;
  limit: number;
}): Promise<HitPage> {
  return unwrap(
    api.GET('/api/v1/stats/annual/drill', {
      params: {
        query: {
          org: q.org ?? undefined,
          year: q.year ?? undefined,
          cell: q.cell,
          list: q.list,
          offset: q.offset,
          limit: q.limit,
        },
      },
    }),
  );
}

/** The working-day calendar's years (GET /api/v1/calendar/years), in year order. */
export async function fetchCalendarYears(): Promise<CalendarYear[]> {
  const data = await unwrap(api.GET('/api/v1/calendar/years'));
  return (data as unknown as CalendarYear[]).slice().sort((a, b) => a.year - b.year);
}

/** Stores one year's holidays and make-up days (PUT /api/v1/calendar/years/{year}). */
export async function saveCalendarYear(y: CalendarYear): Promise<CalendarYear> {
  const data = await unwrap(
    api.PUT('/api/v1/calendar/years/{year}', {
      params: { path: { year: y.year } },
      body: y as unknown as Record<string, never>,
    }),
  );
  return data as unknown as CalendarYear;
}

/** The deployment's local rule overlays, oldest first (GET /api/v1/rules/overlays). */
export async function fetchOverlays(): Promise<Overlay[]> {
  const data = await unwrap(api.GET('/api/v1/rules/overlays'));
  return data as unknown as Overlay[];
}

/** Adds a local overlay (POST /api/v1/rules/overlays). */
export async function addOverlay(o: Overlay): Promise<Overlay> {
  const data = await unwrap(api.POST('/api/v1/rules/overlays', { body: o as unknown as Record<string, never> }));
  return data as unknown as Overlay;
}

/**
 * The day a period of `days` working days after `from` is complete (GET
 * /api/v1/calendar/add), with the server's warning when a year's holidays are unknown.
 */
export async function addWorkingDays(from: string, days: number): Promise<CalendarAnswer> {
  return unwrap(api.GET('/api/v1/calendar/add', { params: { query: { from, working_days: String(days) } } }));
}

/** The rating schemes (GET /api/v1/ratings/schemes, typed `object` in OpenAPI). */
export async function fetchSchemes(): Promise<RatingScheme[]> {
  const data = await unwrap(api.GET('/api/v1/ratings/schemes'));
  return data as unknown as RatingScheme[];
}

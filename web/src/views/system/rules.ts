/**
 * 规则与日历 logic without component state: rule values as text and back, the local overlay
 * form (rows of key / value / unit / source → the central keys it overrides and the local
 * rules it adds) with the checks the server makes (crates/domain rules `Overlay::validate`),
 * and the working-day calendar year form with the checks of `CalendarYear::validate`.
 */
import type { CalendarYear, LocalParam, Overlay, OverlayValue, ParamValue, RuleParamView, RuleSetView } from '@/api/types';
import { parseYmd } from '@/validators';

/** A value as people write it: `5`, or `1/2` for a ratio. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'num' in v && 'den' in v) {
    const r = v as { num: unknown; den: unknown };
    return `${String(r.num)}/${String(r.den)}`;
  }
  return '';
}

/** Parses `5` / `-3` (integers) or `1/2` (ratio, denominator > 0); null when malformed. */
export function parseValue(text: string): ParamValue | null {
  const s = text.trim();
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : null;
  }
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(s);
  if (m) {
    const num = Number(m[1]);
    const den = Number(m[2]);
    return den > 0 && Number.isSafeInteger(num) && Number.isSafeInteger(den) ? { num, den } : null;
  }
  return null;
}

/** Whether a value fits a unit: ratios with `ratio`, integers with everything else. */
export function fitsUnit(v: ParamValue, unit: string): boolean {
  return unit === 'ratio' ? typeof v === 'object' : typeof v === 'number';
}

/** A central parameter with the set that carries it. */
export interface CentralParam extends RuleParamView {
  set: string;
}

/** Every central parameter by key (a later set's definition wins, as the server resolves). */
export function centralParams(sets: readonly RuleSetView[]): Map<string, CentralParam> {
  const out = new Map<string, CentralParam>();
  for (const s of sets) for (const p of s.params) out.set(p.key, { ...p, set: s.code });
  return out;
}

/** The units the central sets use: code → Chinese, in first-seen order. */
export function unitsOf(sets: readonly RuleSetView[]): { code: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const s of sets) for (const p of s.params) if (!seen.has(p.unit)) seen.set(p.unit, p.unit_zh);
  return [...seen].map(([code, label]) => ({ code, label }));
}

/** Params whose key, note or source contains the text (all when empty). */
export function filterParams(params: readonly RuleParamView[], text: string): RuleParamView[] {
  const q = text.trim().toLowerCase();
  if (!q) return [...params];
  return params.filter((p) => p.key.toLowerCase().includes(q) || p.note.includes(q) || p.source.includes(q));
}

/** One row of the overlay form. */
export interface OverlayRow {
  key: string;
  value: string;
  unit: string;
  source: string;
}

export interface OverlayForm {
  code: string;
  name_zh: string;
  effective: string;
  source_document: string;
  rows: OverlayRow[];
}

export function blankOverlay(): OverlayForm {
  return { code: '', name_zh: '', effective: '', source_document: '', rows: [{ key: '', value: '', unit: '', source: '' }] };
}

/** A problem of the overlay form: the field (or row and column) and a catalogue key. */
export interface OverlayProblem {
  field: 'code' | 'name_zh' | 'effective' | 'source_document' | 'rows';
  row?: number;
  col?: keyof OverlayRow;
  key: string;
  params?: Record<string, string | number>;
}

/**
 * Checks the form as the server would: code, name, date and document given; at least one
 * row; each row's key given once; the value an integer or a ratio fitting the unit (the
 * central unit for a central key); a local rule needs its unit and its source.
 */
export function checkOverlay(f: OverlayForm, central: Map<string, CentralParam>): OverlayProblem[] {
  const out: OverlayProblem[] = [];
  if (!f.code.trim()) out.push({ field: 'code', key: 'rules.problems.code' });
  if (!f.name_zh.trim()) out.push({ field: 'name_zh', key: 'rules.problems.name' });
  if (!parseYmd(f.effective)) out.push({ field: 'effective', key: 'rules.problems.effective' });
  if (!f.source_document.trim()) out.push({ field: 'source_document', key: 'rules.problems.document' });
  if (f.rows.length === 0) out.push({ field: 'rows', key: 'rules.problems.noRows' });
  const seen = new Set<string>();
  f.rows.forEach((r, i) => {
    const key = r.key.trim();
    if (!key) {
      out.push({ field: 'rows', row: i, col: 'key', key: 'rules.problems.key' });
      return;
    }
    if (seen.has(key)) out.push({ field: 'rows', row: i, col: 'key', key: 'rules.problems.duplicate', params: { key } });
    seen.add(key);
    const c = central.get(key);
    const unit = c ? c.unit : r.unit;
    const v = parseValue(r.value);
    if (v === null) out.push({ field: 'rows', row: i, col: 'value', key: 'rules.problems.value' });
    else if (unit && !fitsUnit(v, unit)) {
      out.push({ field: 'rows', row: i, col: 'value', key: 'rules.problems.valueKind', params: { key } });
    }
    if (!c) {
      if (!r.unit) out.push({ field: 'rows', row: i, col: 'unit', key: 'rules.problems.unit' });
      if (!r.source.trim()) out.push({ field: 'rows', row: i, col: 'source', key: 'rules.problems.source' });
    }
  });
  return out;
}

/** The overlay to POST: rows on central keys override them, the others are local rules. */
export function buildOverlay(f: OverlayForm, central: Map<string, CentralParam>): Overlay {
  const params: OverlayValue[] = [];
  const added: LocalParam[] = [];
  for (const r of f.rows) {
    const key = r.key.trim();
    const value = parseValue(r.value);
    if (!key || value === null) continue;
    const note = r.source.trim() || null;
    if (central.has(key)) params.push({ key, value, note });
    else added.push({ key, value, unit: r.unit, source: r.source.trim(), note: null });
  }
  return {
    code: f.code.trim(),
    name_zh: f.name_zh.trim(),
    effective: f.effective.trim(),
    source_document: f.source_document.trim(),
    params,
    added_rules: added,
  };
}

// ---- Working-day calendar -----------------------------------------------------------------

export interface HolidayRow {
  name: string;
  first: string;
  last: string;
}
export interface MakeUpRow {
  name: string;
  date: string;
}
export interface CalendarForm {
  year: number | null;
  published: boolean;
  source: string;
  holidays: HolidayRow[];
  make_up_days: MakeUpRow[];
}

export function calendarForm(y?: CalendarYear | null): CalendarForm {
  if (!y) return { year: null, published: true, source: '', holidays: [], make_up_days: [] };
  return {
    year: y.year,
    published: y.published,
    source: y.source,
    holidays: y.holidays.map((h) => ({ ...h })),
    make_up_days: y.make_up_days.map((m) => ({ ...m })),
  };
}

export function calendarYear(f: CalendarForm): CalendarYear {
  return {
    year: f.year ?? 0,
    published: f.published,
    source: f.source.trim(),
    holidays: f.holidays.map((h) => ({ name: h.name.trim(), first: h.first, last: h.last })),
    make_up_days: f.make_up_days.map((m) => ({ name: m.name.trim(), date: m.date })),
  };
}

function utc(date: string): Date | null {
  const d = parseYmd(date);
  return d ? new Date(Date.UTC(d.y, d.m - 1, d.d)) : null;
}

export function isWeekend(date: string): boolean {
  const d = utc(date);
  return !!d && (d.getUTCDay() === 0 || d.getUTCDay() === 6);
}

/** A date belongs to a year's notice: the year itself, or the December before / January after. */
export function belongsTo(year: number, date: string): boolean {
  const d = parseYmd(date);
  if (!d) return false;
  return d.y === year || (d.y === year - 1 && d.m === 12) || (d.y === year + 1 && d.m === 1);
}

/** Every day from first to last (inclusive). */
export function daysBetween(first: string, last: string): string[] {
  const a = utc(first);
  const b = utc(last);
  if (!a || !b) return [];
  const out: string[] = [];
  for (let d = a; d <= b && out.length < 400; d = new Date(d.getTime() + 86_400_000)) out.push(d.toISOString().slice(0, 10));
  return out;
}

/** Days off in a year's arrangement. */
export function daysOff(f: Pick<CalendarForm, 'holidays'>): number {
  const s = new Set<string>();
  for (const h of f.holidays) for (const d of daysBetween(h.first, h.last)) s.add(d);
  return s.size;
}

export interface CalendarProblem {
  field: 'year' | 'source' | 'holidays' | 'make_up_days';
  row?: number;
  key: string;
  params?: Record<string, string | number>;
}

/** The server's checks of a year (calendar.*), in the same order, plus the required fields. */
export function checkCalendar(f: CalendarForm): CalendarProblem[] {
  const out: CalendarProblem[] = [];
  const year = f.year;
  if (year === null || !Number.isInteger(year) || year < 1949 || year > 2100) {
    out.push({ field: 'year', key: 'rules.calendar.problems.year' });
    return out;
  }
  if (!f.source.trim()) out.push({ field: 'source', key: 'rules.calendar.problems.source' });
  if (!f.published && (f.holidays.length > 0 || f.make_up_days.length > 0)) {
    out.push({ field: 'holidays', key: 'rules.calendar.problems.unpublished', params: { year } });
    return out;
  }
  f.holidays.forEach((h, i) => {
    if (!h.name.trim()) out.push({ field: 'holidays', row: i, key: 'rules.calendar.problems.name' });
    if (!parseYmd(h.first) || !parseYmd(h.last)) {
      out.push({ field: 'holidays', row: i, key: 'rules.calendar.problems.date' });
      return;
    }
    if (h.last < h.first) {
      out.push({ field: 'holidays', row: i, key: 'rules.calendar.problems.inverted', params: { year, name: h.name, first: h.first, last: h.last } });
      return;
    }
    for (const d of [h.first, h.last]) {
      if (!belongsTo(year, d)) {
        out.push({ field: 'holidays', row: i, key: 'rules.calendar.problems.outside', params: { year, date: d } });
        return;
      }
    }
  });
  const off = new Set<string>();
  for (const h of f.holidays) for (const d of daysBetween(h.first, h.last)) off.add(d);
  f.make_up_days.forEach((m, i) => {
    if (!m.name.trim()) out.push({ field: 'make_up_days', row: i, key: 'rules.calendar.problems.name' });
    if (!parseYmd(m.date)) {
      out.push({ field: 'make_up_days', row: i, key: 'rules.calendar.problems.date' });
      return;
    }
    if (!belongsTo(year, m.date)) out.push({ field: 'make_up_days', row: i, key: 'rules.calendar.problems.outside', params: { year, date: m.date } });
    else if (!isWeekend(m.date)) out.push({ field: 'make_up_days', row: i, key: 'rules.calendar.problems.notWeekend', params: { date: m.date } });
    else if (off.has(m.date)) out.push({ field: 'make_up_days', row: i, key: 'rules.calendar.problems.conflict', params: { date: m.date } });
  });
  return out;
}

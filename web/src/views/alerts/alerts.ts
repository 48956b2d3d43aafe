/**
 * Pure helpers of the 预警提醒 screen: where an alert leads (by its area and the id of its
 * record), and counts by area.
 */
import type { RouteLocationRaw } from 'vue-router';

export const AREAS = ['org', 'development', 'floating', 'org_life', 'transfer', 'rectification'] as const;

export interface AlertLike {
  area: string;
  code?: string;
  subject_id: number;
  severity: string;
}

/** The screen that handles the alert's record; `org` is the subtree shown (for lists). */
export function alertLink(a: AlertLike, org: number | null): RouteLocationRaw | null {
  const q = org ? { org: String(org) } : {};
  switch (a.area) {
    case 'org':
      return { name: 'orgs', query: { org: String(a.subject_id) } };
    case 'development':
      return `/development/people/${a.subject_id}`;
    case 'org_life':
      // A branch that held too little org life leads to its meetings; a subtree too large to
      // assess names the org, not a member: no link.
      if (a.code === 'org_life.branch_short') return { name: 'org-life', query: { org: String(a.subject_id), tab: 'meetings' } };
      return a.code === 'self_withdrawal.proposed' || a.code === undefined ? `/members/${a.subject_id}` : null;
    case 'floating':
      return { name: 'floating', query: { ...q, due: '1' } };
    case 'transfer':
      return { name: 'transfers', query: { ...q, status: 'pending' } };
    case 'rectification':
      return { name: 'ratings', query: q };
    default:
      return null;
  }
}

/** Number of alerts per area (every known area present, zero when none). */
export function countByArea(items: AlertLike[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(AREAS.map((a) => [a, 0]));
  for (const i of items) out[i.area] = (out[i.area] ?? 0) + 1;
  return out;
}

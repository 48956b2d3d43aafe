/**
 * OrgPicker logic without component state: which orgs fit a form (`fit`), the path line
 * under the picker (高淳县委 / 永阳镇党委 / 芝山村党总支), where a search goes
 * (GET /api/v1/orgs/search within the user's scope, or GET /api/v1/transfers/destinations over
 * the whole deployment for a transfer's receiving org) and the debounce of a typed query.
 */
import type { components } from '@/api/schema';

export type OrgHit = components['schemas']['OrgHit'];
export type OrgFit = 'any' | 'basic';
export type OrgSource = 'scope' | 'destinations';

/**
 * Kinds that hold members directly (membership orgs), as the domain rule
 * `OrgKind::holds_members` in crates/domain/src/org.rs says: 党支部, 临时党支部, 党总支.
 * Only a fallback for org data that does not carry the server's `holds_members` flag.
 */
export const MEMBERSHIP_KINDS: readonly string[] = ['branch', 'temporary_branch', 'general_branch'];

/** Whether an org holds members: the server's flag when the data has it, else by kind. */
export function holdsMembers(o: { kind?: string | null; holds_members?: boolean | null }): boolean {
  if (typeof o.holds_members === 'boolean') return o.holds_members;
  return MEMBERSHIP_KINDS.includes(o.kind ?? '');
}

/**
 * Whether an org may be chosen on a form with this fit. An org whose kind is not known yet
 * (a scope top before it is read) is offered: the server still decides.
 */
export function fitsForm(o: { kind?: string | null; holds_members?: boolean | null }, fit: OrgFit): boolean {
  if (fit === 'any') return true;
  if (typeof o.holds_members !== 'boolean' && !o.kind) return true;
  return holdsMembers(o);
}

/** The path line: names from the root down, joined with ' / '. */
export function pathText(names: readonly string[]): string {
  return names.filter((n) => n.trim() !== '').join(' / ');
}

/** The path of names of a tree node: its label and those of its ancestors, root first. */
export function nodePath(node: { label?: string; data?: unknown; parent?: unknown; level?: number } | null | undefined): string[] {
  const out: string[] = [];
  let n = node as { data?: { label?: string }; parent?: unknown; level?: number } | null | undefined;
  while (n && (n.level ?? 0) > 0) {
    const label = n.data?.label;
    if (label) out.unshift(label);
    n = n.parent as typeof n;
  }
  return out;
}

/** The typed text as sent to the server ('' = nothing to search). */
export function searchText(q: string): string {
  return q.trim().slice(0, 50);
}

/** Where a search goes, with its query parameters. */
export function searchRequest(
  source: OrgSource,
  q: string,
  fit: OrgFit,
  limit = 20,
): { path: '/api/v1/orgs/search'; query: { q: string; fit: OrgFit; limit: number } } | { path: '/api/v1/transfers/destinations'; query: { q: string; limit: number } } {
  const text = searchText(q);
  if (source === 'destinations') return { path: '/api/v1/transfers/destinations', query: { q: text, limit } };
  return { path: '/api/v1/orgs/search', query: { q: text, fit, limit } };
}

/**
 * Runs only the last of quick successive calls, after `ms` of quiet; `cancel()` drops a
 * pending one.
 */
export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): ((...a: A) => void) & { cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = (...a: A): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...a);
    }, ms);
  };
  run.cancel = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return run;
}

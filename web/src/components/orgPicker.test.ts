import { describe, expect, it, vi } from 'vitest';
import { debounce, fitsForm, holdsMembers, nodePath, pathText, searchRequest, searchText } from './orgPicker';

describe('holdsMembers / fitsForm', () => {
  it('prefers the server flag and falls back to the kind', () => {
    expect(holdsMembers({ kind: 'committee', holds_members: true })).toBe(true);
    expect(holdsMembers({ kind: 'branch', holds_members: false })).toBe(false);
    for (const k of ['branch', 'temporary_branch', 'general_branch']) expect(holdsMembers({ kind: k })).toBe(true);
    for (const k of ['committee', 'working_committee', 'group', '', 'unknown']) expect(holdsMembers({ kind: k })).toBe(false);
  });
  it('basic offers membership orgs only, any offers all, unknown kinds are left to the server', () => {
    expect(fitsForm({ kind: 'group' }, 'any')).toBe(true);
    expect(fitsForm({ kind: 'group' }, 'basic')).toBe(false);
    expect(fitsForm({ kind: 'committee' }, 'basic')).toBe(false);
    expect(fitsForm({ kind: 'general_branch' }, 'basic')).toBe(true);
    expect(fitsForm({}, 'basic')).toBe(true);
    expect(fitsForm({ kind: null, holds_members: false }, 'basic')).toBe(false);
  });
});

describe('paths', () => {
  it('joins names root first and skips blanks', () => {
    expect(pathText(['A', 'B', 'C'])).toBe('A / B / C');
    expect(pathText(['A', ' ', 'C'])).toBe('A / C');
    expect(pathText([])).toBe('');
  });
  it('walks a tree node up to (not including) the invisible root', () => {
    const root = { level: 0, data: { label: 'x' }, parent: null };
    const county = { level: 1, data: { label: 'A' }, parent: root };
    const town = { level: 2, data: { label: 'B' }, parent: county };
    const village = { level: 3, data: { label: 'C' }, parent: town };
    expect(nodePath(village)).toEqual(['A', 'B', 'C']);
    expect(nodePath(county)).toEqual(['A']);
    expect(nodePath(null)).toEqual([]);
  });
});

describe('searchRequest', () => {
  it('asks the scoped search with the fit, or the destinations without one', () => {
    expect(searchRequest('scope', ' zsc ', 'basic')).toEqual({ path: '/api/v1/orgs/search', query: { q: 'zsc', fit: 'basic', limit: 20 } });
    expect(searchRequest('destinations', 'zsc', 'basic', 10)).toEqual({
      path: '/api/v1/transfers/destinations',
      query: { q: 'zsc', limit: 10 },
    });
  });
  it('trims and cuts the query at 50 characters (the server refuses more)', () => {
    expect(searchText('  ab ')).toBe('ab');
    expect(searchText('x'.repeat(60))).toHaveLength(50);
    expect(searchText('x'.repeat(50))).toHaveLength(50);
  });
});

describe('debounce', () => {
  it('runs the last call once after quiet, and cancel drops it', () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    const d = debounce((s: string) => seen.push(s), 200);
    d('a');
    d('ab');
    vi.advanceTimersByTime(199);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['ab']);
    d('abc');
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual(['ab']);
    vi.useRealTimers();
  });
});

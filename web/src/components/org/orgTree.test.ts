import { describe, expect, it } from 'vitest';
import type { OrgView } from '@/api/types';
import {
  allowedChildKinds,
  orgEventChanges,
  outermost,
  pathIds,
  reelectionState,
  sixMonthsAfter,
  topOrgs,
} from './orgTree';

function org(id: number, parent: number | null, path: string): OrgView {
  return {
    id,
    parent_id: parent,
    path,
    depth: path.split('/').filter(Boolean).length - 1,
    name: `org ${id}`,
    kind: 'branch',
    kind_zh: '',
    field: 'rural',
    field_zh: '',
    setup_mode: 'standalone',
    setup_mode_zh: '',
    founded: '2000-01-01',
    version: 1,
  } as OrgView;
}

describe('top of scope', () => {
  it('keeps the orgs whose parent is not listed', () => {
    const items = [org(2, 1, '/1/2/'), org(5, 2, '/1/2/5/'), org(9, 3, '/1/3/9/'), org(10, 9, '/1/3/9/10/')];
    expect(topOrgs(items).map((o) => o.id)).toEqual([2, 9]);
  });
  it('treats the root (no parent) as a top', () => {
    expect(topOrgs([org(1, null, '/1/'), org(2, 1, '/1/2/')]).map((o) => o.id)).toEqual([1]);
  });
  it('drops nested and duplicate grants', () => {
    const g = [{ path: '/1/2/' }, { path: '/1/2/5/' }, { path: '/1/3/' }, { path: '/1/2/' }];
    expect(outermost(g)).toEqual([{ path: '/1/2/' }, { path: '/1/3/' }]);
  });
  it('reads ids from a path', () => {
    expect(pathIds('/1/17/305/')).toEqual([1, 17, 305]);
    expect(pathIds('/')).toEqual([]);
  });
});

describe('kinds under a parent', () => {
  it('mirrors the server', () => {
    expect(allowedChildKinds('committee')).toContain('general_branch');
    expect(allowedChildKinds('general_branch')).toEqual(['branch', 'temporary_branch', 'group']);
    expect(allowedChildKinds('branch')).toEqual(['group']);
    expect(allowedChildKinds('group')).toEqual([]);
  });
});

describe('re-election due', () => {
  it('is overdue once past', () => {
    expect(reelectionState('2004-12-30', '2004-12-31')).toBe('overdue');
  });
  it('is soon within six months, inclusive', () => {
    expect(reelectionState('2004-12-31', '2004-12-31')).toBe('soon');
    expect(reelectionState('2005-06-30', '2004-12-31')).toBe('soon');
    expect(reelectionState('2005-07-01', '2004-12-31')).toBe('ok');
  });
  it('clamps month ends', () => {
    expect(sixMonthsAfter('2004-08-31')).toBe('2005-02-28');
    expect(sixMonthsAfter('2003-08-31')).toBe('2004-02-29');
  });
  it('is unknown without dates', () => {
    expect(reelectionState(null, '2004-12-31')).toBeNull();
    expect(reelectionState('2005-01-01', '')).toBeNull();
  });
});

describe('org event changes', () => {
  it('lists changed fields only', () => {
    const before = { name: 'a', short_name: 'x', phone: null, version: 1, member_count: null };
    const after = { name: 'a', short_name: 'y', phone: '025-1234567', version: 2, member_count: 3 };
    expect(orgEventChanges({ before, after })).toEqual([
      { field: 'short_name', from: 'x', to: 'y' },
      { field: 'phone', from: null, to: '025-1234567' },
    ]);
  });
  it('is empty for other shapes', () => {
    expect(orgEventChanges({ from: 'a', to: 'b' })).toEqual([]);
    expect(orgEventChanges(null)).toEqual([]);
  });
});

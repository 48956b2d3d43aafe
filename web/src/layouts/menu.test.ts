import { describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useSessionStore } from '@/stores/session';
import type { Me } from '@/api/types';
import { MENU, MENU_GROUPS, menuBlocks } from './menu';

function visibleFor(role: string, canReadAudit = false): string[] {
  setActivePinia(createPinia());
  const s = useSessionStore();
  const me: Me = {
    user: {
      id: 1,
      username: 'u',
      display_name: 'U',
      must_change_password: false,
      disabled: false,
      version: 1,
      roles: [{ role, org_id: 1, path: '/1/', org_name: 'X' }],
    },
    today: '2004-12-31',
    can_read_audit: canReadAudit,
    can_manage_users: false,
    idle_timeout_minutes: 30,
  };
  s.me = me;
  s.loaded = true;
  return MENU.filter((m) => !m.visible || m.visible(s)).map((m) => m.testid);
}

describe('side menu', () => {
  it('shows 发展党员, 两新组织 and the 年报 to roles that read statistics, 规则与日历 to admin and org dept', () => {
    expect(visibleFor('admin', true)).toEqual([
      'menu-home',
      'menu-alerts',
      'menu-orgs',
      'menu-members',
      'menu-transfers',
      'menu-floating',
      'menu-org-life',
      'menu-development',
      'menu-new-orgs',
      'menu-ratings',
      'menu-rating-rounds',
      'menu-evaluations',
      'menu-annual',
      'menu-rules',
      'menu-audit',
    ]);
    expect(visibleFor('org_dept')).toContain('menu-rules');
    const branch = visibleFor('branch');
    expect(branch).toContain('menu-development');
    expect(branch).toContain('menu-new-orgs');
    expect(branch).not.toContain('menu-rules');
    expect(visibleFor('committee')).not.toContain('menu-rules');
    const member = visibleFor('member');
    expect(member).not.toContain('menu-development');
    expect(member).not.toContain('menu-new-orgs');
    expect(member).not.toContain('menu-transfers');
    expect(member).not.toContain('menu-floating');
    expect(member).not.toContain('menu-ratings');
    expect(member).not.toContain('menu-evaluations');
    expect(branch).toContain('menu-evaluations');
    expect(member).toContain('menu-members');
    expect(branch).toContain('menu-transfers');
    expect(branch).toContain('menu-floating');
    expect(branch).toContain('menu-org-life');
    expect(member).not.toContain('menu-org-life');
    expect(member).not.toContain('menu-alerts');
    expect(branch).toContain('menu-alerts');
    expect(branch).toContain('menu-ratings');
    expect(branch).toContain('menu-rating-rounds');
    expect(member).not.toContain('menu-rating-rounds');
  });

  it('puts the roster, transfers, floating members and org life in the 党员 sub-menu after 党组织', () => {
    expect(MENU.filter((m) => m.group === 'members').map((m) => m.path)).toEqual(['/members', '/transfers', '/floating', '/org-life']);
    const blocks = menuBlocks(MENU);
    expect(blocks.map((b) => (b.type === 'item' ? b.entry.testid : b.testid))).toEqual([
      'menu-home',
      'menu-alerts',
      'menu-orgs',
      'menu-members-group',
      'menu-development',
      'menu-new-orgs',
      'menu-ratings-group',
      'menu-evaluations',
      'menu-annual',
      'menu-system',
    ]);
    // A plain member sees the roster only: the sub-menu still stands.
    const one = menuBlocks(MENU.filter((m) => m.path === '/members'));
    expect(one).toHaveLength(1);
    expect(one[0]!.type).toBe('group');
  });

  it('puts the rules and the audit log in the 系统 sub-menu', () => {
    expect(MENU.filter((m) => m.group === 'system').map((m) => m.path)).toEqual(['/system/rules', '/audit']);
    expect(MENU_GROUPS.map((g) => g.index)).toEqual(['members', 'ratings', 'system']);
  });

  it('puts the ratings ledger and the rating rounds in the 分类定级 sub-menu', () => {
    expect(MENU.filter((m) => m.group === 'ratings').map((m) => m.path)).toEqual(['/ratings', '/ratings/rounds']);
  });
});

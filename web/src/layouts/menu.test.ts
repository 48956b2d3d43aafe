import { describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useSessionStore } from '@/stores/session';
import type { Me } from '@/api/types';
import { MENU, MENU_GROUPS } from './menu';

function visibleFor(role: string, canReadAudit = false): string[] {
  setActivePinia(createPinia());
  const s = useSessionStore();
  const me: Me = {
    user: {
      id: 1,
      username: 'u',
      display_name: 'U',
      must_change_password: false,
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
      'menu-orgs',
      'menu-members',
      'menu-development',
      'menu-new-orgs',
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
  });

  it('puts the rules and the audit log in the 系统 sub-menu', () => {
    expect(MENU.filter((m) => m.group === 'system').map((m) => m.path)).toEqual(['/system/rules', '/audit']);
    expect(MENU_GROUPS.map((g) => g.index)).toEqual(['system']);
  });
});

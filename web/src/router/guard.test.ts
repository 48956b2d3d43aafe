import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createAppRouter } from './index';
import { useSessionStore } from '@/stores/session';
import type { Me } from '@/api/types';

function me(over: Partial<Me['user']> = {}, canReadAudit = true): Me {
  return {
    user: {
      id: 1,
      username: 'admin',
      display_name: 'A',
      must_change_password: false,
      disabled: false,
      version: 1,
      roles: [{ role: 'admin', org_id: 1, path: '/1/', org_name: 'X' }],
      ...over,
    },
    today: '2004-12-31',
    can_read_audit: canReadAudit,
    can_manage_users: true,
    idle_timeout_minutes: 30,
  };
}

let pinia: Pinia;
beforeEach(() => {
  // jsdom has no scrolling; the router's scrollBehavior calls it.
  window.scrollTo = (() => undefined) as typeof window.scrollTo;
  pinia = createPinia();
  setActivePinia(pinia);
});

function sessionWith(m: Me | null) {
  const s = useSessionStore(pinia);
  s.me = m;
  s.loaded = true;
  return s;
}

describe('route guard', () => {
  it('sends anonymous users to /login with the target as redirect', async () => {
    sessionWith(null);
    const router = createAppRouter(pinia);
    await router.push('/audit?x=1');
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/audit?x=1');
  });

  it('keeps a user who must change the password on /password', async () => {
    sessionWith(me({ must_change_password: true }));
    const router = createAppRouter(pinia);
    await router.push('/members');
    expect(router.currentRoute.value.name).toBe('password');
    await router.push('/login');
    expect(router.currentRoute.value.name).toBe('password');
  });

  it('hides the audit log from users who may not read it', async () => {
    sessionWith(me({}, false));
    const router = createAppRouter(pinia);
    await router.push('/audit');
    expect(router.currentRoute.value.name).toBe('home');
  });

  it('keeps the annual report from the plain member role', async () => {
    sessionWith(me({ roles: [{ role: 'member', org_id: 9, path: '/1/5/9/', org_name: 'B' }] }, false));
    const router = createAppRouter(pinia);
    await router.push('/reports/annual');
    expect(router.currentRoute.value.name).toBe('home');
  });

  it('opens the annual report for roles that read statistics', async () => {
    sessionWith(me({ roles: [{ role: 'branch', org_id: 9, path: '/1/5/9/', org_name: 'B' }] }, false));
    const router = createAppRouter(pinia);
    await router.push('/reports/annual?year=2004');
    expect(router.currentRoute.value.name).toBe('annual-report');
  });

  it('keeps 发展党员 and 两新组织 from the plain member role, opens them to a branch', async () => {
    sessionWith(me({ roles: [{ role: 'member', org_id: 9, path: '/1/5/9/', org_name: 'B' }] }, false));
    let router = createAppRouter(pinia);
    for (const path of ['/development', '/development/people', '/development/people/3', '/new-orgs']) {
      await router.push(path);
      expect(router.currentRoute.value.name).toBe('home');
    }
    sessionWith(me({ roles: [{ role: 'branch', org_id: 9, path: '/1/5/9/', org_name: 'B' }] }, false));
    router = createAppRouter(pinia);
    await router.push('/development/people/3');
    expect(router.currentRoute.value.name).toBe('development-person');
    expect(router.currentRoute.value.params.id).toBe('3');
    await router.push('/development/people?stage=candidate');
    expect(router.currentRoute.value.name).toBe('development-people');
    await router.push('/new-orgs');
    expect(router.currentRoute.value.name).toBe('new-orgs');
  });

  it('opens 规则与日历 to administrators and organization departments only', async () => {
    sessionWith(me({ roles: [{ role: 'committee', org_id: 4, path: '/1/4/', org_name: 'T' }] }, false));
    let router = createAppRouter(pinia);
    await router.push('/system/rules');
    expect(router.currentRoute.value.name).toBe('home');
    sessionWith(me({ roles: [{ role: 'org_dept', org_id: 1, path: '/1/', org_name: 'C' }] }, false));
    router = createAppRouter(pinia);
    await router.push('/system/rules?tab=calendar');
    expect(router.currentRoute.value.name).toBe('rules');
  });

  it('lets logged-in users through and away from /login', async () => {
    sessionWith(me());
    const router = createAppRouter(pinia);
    await router.push('/members/12');
    expect(router.currentRoute.value.name).toBe('member-detail');
    await router.push('/login?redirect=/orgs');
    expect(router.currentRoute.value.path).toBe('/orgs');
    await router.push('/login?redirect=//evil.example');
    expect(router.currentRoute.value.path).toBe('/');
  });
});

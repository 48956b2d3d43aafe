/**
 * The logged-in user (GET /api/v1/me), login, logout and password change.
 *
 *   const session = useSessionStore();
 *   session.me?.user.display_name, session.today, session.canReadAudit, session.canReadStats,
 *   session.canManageRules,
 *   session.roles
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, unwrap } from '@/api/client';
import { ApiError } from '@/api/errors';
import type { Grant, Me } from '@/api/types';

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null);
  /** Whether /me was asked at least once (so a null `me` means "not logged in"). */
  const loaded = ref(false);
  let pending: Promise<Me | null> | null = null;

  const loggedIn = computed(() => me.value !== null);
  const mustChangePassword = computed(() => me.value?.user.must_change_password === true);
  const canReadAudit = computed(() => me.value?.can_read_audit === true);
  const canManageUsers = computed(() => me.value?.can_manage_users === true);
  /** May read statistics (the 年报): any role but the plain member's. */
  const canReadStats = computed(() => (me.value?.user.roles ?? []).some((g) => g.role !== 'member'));
  /** May edit the deployment's rules and calendar (规则与日历): administrators and organization departments. */
  const canManageRules = computed(() =>
    (me.value?.user.roles ?? []).some((g) => g.role === 'admin' || g.role === 'org_dept'),
  );
  /**
   * Decides ratings (opens rounds, 审定, 公布): administrators and organization departments.
   * Only hides buttons — the API decides, and its refusal is shown as worded.
   */
  const canDecideRatings = computed(() =>
    (me.value?.user.roles ?? []).some((g) => g.role === 'admin' || g.role === 'org_dept'),
  );
  /** The deployment's reference date (YYYY-MM-DD): default as-of date of reports. */
  const today = computed(() => me.value?.today ?? '');
  const roles = computed<Grant[]>(() => me.value?.user.roles ?? []);
  /** Distinct orgs the user holds roles on, in grant order (the first is the default). */
  const roleOrgs = computed(() => {
    const seen = new Set<number>();
    return roles.value.filter((g) => (seen.has(g.org_id) ? false : (seen.add(g.org_id), true)));
  });

  /** Loads /me; resolves to null when not logged in (401). */
  async function load(force = false): Promise<Me | null> {
    if (loaded.value && !force) return me.value;
    if (pending) return pending;
    pending = (async () => {
      try {
        me.value = await unwrap(api.GET('/api/v1/me'));
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) me.value = null;
        else throw e;
      } finally {
        loaded.value = true;
        pending = null;
      }
      return me.value;
    })();
    return pending;
  }

  /** Logs in; returns whether the password must be changed first. Throws ApiError. */
  async function login(username: string, password: string): Promise<boolean> {
    const r = await unwrap(api.POST('/api/v1/auth/login', { body: { username, password } }));
    await load(true);
    return r.must_change_password;
  }

  async function logout(): Promise<void> {
    try {
      await unwrap(api.POST('/api/v1/auth/logout'));
    } catch (e) {
      // Already logged out / expired: nothing to end.
      if (!(e instanceof ApiError && e.status === 401)) throw e;
    } finally {
      clear();
    }
  }

  async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
    await unwrap(
      api.POST('/api/v1/auth/password', { body: { old_password: oldPassword, new_password: newPassword } }),
    );
    await load(true);
  }

  /** Forgets the user (after logout or a 401). */
  function clear(): void {
    me.value = null;
    loaded.value = true;
  }

  return {
    me,
    loaded,
    loggedIn,
    mustChangePassword,
    canReadAudit,
    canManageUsers,
    canReadStats,
    canManageRules,
    canDecideRatings,
    today,
    roles,
    roleOrgs,
    load,
    login,
    logout,
    changePassword,
    clear,
  };
});

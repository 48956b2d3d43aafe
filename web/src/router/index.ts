/**
 * Router with the auth guard:
 * - anonymous routes (the ballot page) are open without looking at the session at all;
 * - public routes (login) are open; a logged-in user visiting /login goes home;
 * - everything else needs a session (GET /api/v1/me), else → /login?redirect=…;
 * - a user who must change the password is kept on /password;
 * - `meta.requiresAudit` routes need me.can_read_audit; `meta.requiresStats` routes a role
 *   that may read statistics (not the plain member role); `meta.requiresRules` routes an
 *   administrator or organization department.
 */
import { createRouter, createWebHistory, type Router } from 'vue-router';
import type { Pinia } from 'pinia';
import { routes } from './routes';
import { useSessionStore } from '@/stores/session';
import { t } from '@/i18n';
import { safeRedirect } from '@/utils/format';

export function createAppRouter(pinia: Pinia): Router {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes,
    scrollBehavior: () => ({ top: 0 }),
  });

  router.beforeEach(async (to) => {
    // The ballot page: nobody's session is looked up (no GET /me), so nothing links a ballot
    // to whoever may be logged in on this browser.
    if (to.meta.anonymous) return true;
    const session = useSessionStore(pinia);
    if (!session.loaded) {
      try {
        await session.load();
      } catch {
        // Server unreachable: treat as logged out; the login form reports the error.
        session.clear();
      }
    }
    if (to.meta.public) {
      if (to.name === 'login' && session.loggedIn) {
        return session.mustChangePassword ? { name: 'password' } : safeRedirect(to.query.redirect);
      }
      return true;
    }
    if (!session.loggedIn) {
      return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
    }
    if (session.mustChangePassword && to.name !== 'password') return { name: 'password' };
    if (to.meta.requiresAudit && !session.canReadAudit) return { name: 'home' };
    if (to.meta.requiresStats && !session.canReadStats) return { name: 'home' };
    if (to.meta.requiresRules && !session.canManageRules) return { name: 'home' };
    return true;
  });

  router.afterEach((to) => {
    const title = to.meta.titleKey ? t(to.meta.titleKey) : '';
    document.title = title ? `${title} - ${t('app.name')}` : t('app.name');
  });

  return router;
}

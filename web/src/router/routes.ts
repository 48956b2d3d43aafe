/**
 * All routes. To add a screen: create the view under src/views/<area>/, add a route here
 * (as a child of the layout route unless it is public), give it `meta.titleKey` (a
 * catalogue key, used for the document title) and, to show it in the left menu,
 * `meta.menu` with an icon name from @element-plus/icons-vue (see layouts/menu.ts).
 */
import type { RouteRecordRaw } from 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** Catalogue key of the page title. */
    titleKey?: string;
    /** Reachable without logging in. */
    public?: boolean;
    /** Public and anonymous: the guard does not even ask who is logged in (the ballot page). */
    anonymous?: boolean;
    /** Only for users who may read the audit log (me.can_read_audit). */
    requiresAudit?: boolean;
    /** Only for users who may read statistics (any role but the plain member's). */
    requiresStats?: boolean;
    /** Only for administrators and organization departments (rules and calendar). */
    requiresRules?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/LoginView.vue'),
    meta: { public: true, titleKey: 'auth.title' },
  },
  {
    // 匿名测评投票: the holder of a ballot slip votes with its token, no login.
    path: '/ballot',
    name: 'ballot',
    component: () => import('@/views/ballot/BallotView.vue'),
    meta: { public: true, anonymous: true, titleKey: 'ballot.title' },
  },
  {
    path: '/',
    component: () => import('@/layouts/MainLayout.vue'),
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('@/views/home/HomeDashboard.vue'),
        meta: { titleKey: 'menu.home' },
      },
      {
        // 预警提醒. Query: ?org=<id>&days=30|60|90&area=
        path: 'alerts',
        name: 'alerts',
        component: () => import('@/views/alerts/AlertsView.vue'),
        meta: { titleKey: 'menu.alerts', requiresStats: true },
      },
      {
        // Query: ?org=<id> selects that org (warnings link here).
        path: 'orgs',
        name: 'orgs',
        component: () => import('@/views/org/OrgTree.vue'),
        meta: { titleKey: 'menu.orgs' },
      },
      {
        path: 'members',
        name: 'members',
        component: () => import('@/views/member/MemberList.vue'),
        meta: { titleKey: 'menu.members' },
      },
      {
        path: 'members/:id(\\d+)',
        name: 'member-detail',
        component: () => import('@/views/member/MemberDetail.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { titleKey: 'member.detailTitle' },
      },
      {
        // 组织关系转接. Query: ?org=<id>&direction=in|out&status=&kind=
        path: 'transfers',
        name: 'transfers',
        component: () => import('@/views/transfer/TransferInbox.vue'),
        meta: { titleKey: 'menu.transfers', requiresStats: true },
      },
      {
        // 流动党员. Query: ?org=<id>&direction=out|in&status=&lost=1&due=1
        path: 'floating',
        name: 'floating',
        component: () => import('@/views/floating/FloatingList.vue'),
        meta: { titleKey: 'menu.floating', requiresStats: true },
      },
      {
        // 组织生活 (三会一课, 党费, 自行脱党处置). Query: ?org=<id>&tab=meetings|lapse
        path: 'org-life',
        name: 'org-life',
        component: () => import('@/views/orglife/OrgLifeView.vue'),
        meta: { titleKey: 'menu.orgLife', requiresStats: true },
      },
      {
        // 分类定级. Query: ?org=<id>&year=<YYYY>&filter=weak|award
        path: 'ratings',
        name: 'ratings',
        component: () => import('@/views/rating/RatingsView.vue'),
        meta: { titleKey: 'menu.ratings', requiresStats: true },
      },
      {
        // 评定轮次. Query: ?year=<YYYY>&scheme=<code>&status=open|published
        path: 'ratings/rounds',
        name: 'rating-rounds',
        component: () => import('@/views/rating/RatingRounds.vue'),
        meta: { titleKey: 'menu.ratingRounds', requiresStats: true },
      },
      {
        // One round: its orgs. Query: ?status=pending|scored|approved|proposed&q=&page=&org=<id> (opens the scoring form)
        path: 'ratings/rounds/:id(\\d+)',
        name: 'rating-round',
        component: () => import('@/views/rating/RatingRound.vue'),
        props: (r) => ({ id: Number(r.params.id) }),
        meta: { titleKey: 'menu.ratingRounds', requiresStats: true },
      },
      {
        // 评议考评: 民主评议党员 and 双述双评联考. Query: ?tab=appraisal|secretary&org=<id>&year=<YYYY>
        path: 'evaluations',
        name: 'evaluations',
        component: () => import('@/views/evaluation/EvaluationsView.vue'),
        meta: { titleKey: 'menu.evaluations', requiresStats: true },
      },
      {
        // Query: ?org=<id>&year=<YYYY>&table=<T2>&section=checks|lists
        path: 'reports/annual',
        name: 'annual-report',
        component: () => import('@/views/reports/AnnualReport.vue'),
        meta: { titleKey: 'menu.annual', requiresStats: true },
      },
      {
        // 发展党员: board and due list. Query: ?org=<id>
        path: 'development',
        name: 'development',
        component: () => import('@/views/development/DevelopmentBoard.vue'),
        meta: { titleKey: 'menu.development', requiresStats: true },
      },
      {
        // 发展党员统计. Query: ?org=<id>&year=<YYYY>
        path: 'development/stats',
        name: 'development-stats',
        component: () => import('@/views/development/DevelopmentStats.vue'),
        meta: { titleKey: 'dev.stats.title', requiresStats: true },
      },
      {
        // Query: ?org=<id>&stage=<code>&q=&page=&page_size=
        path: 'development/people',
        name: 'development-people',
        component: () => import('@/views/development/DevelopmentList.vue'),
        meta: { titleKey: 'dev.list.title', requiresStats: true },
      },
      {
        path: 'development/people/:id(\\d+)',
        name: 'development-person',
        component: () => import('@/views/development/DevelopmentPerson.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { titleKey: 'dev.person.title', requiresStats: true },
      },
      {
        // 两新组织: coverage and the registry. Query: ?org=<id>&as_of=&kind=&coverage=&warned=1&q=&page=
        path: 'new-orgs',
        name: 'new-orgs',
        component: () => import('@/views/neworg/NewOrgs.vue'),
        meta: { titleKey: 'menu.newOrgs', requiresStats: true },
      },
      {
        // 规则与日历. Query: ?tab=sets|overlays|calendar
        path: 'system/rules',
        name: 'rules',
        component: () => import('@/views/system/RulesCalendar.vue'),
        meta: { titleKey: 'menu.rules', requiresRules: true },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('@/views/audit/AuditLog.vue'),
        meta: { titleKey: 'menu.audit', requiresAudit: true },
      },
      {
        path: 'password',
        name: 'password',
        component: () => import('@/views/auth/PasswordView.vue'),
        meta: { titleKey: 'password.title' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/views/system/NotFound.vue'),
        meta: { titleKey: 'notFound.title' },
      },
    ],
  },
];

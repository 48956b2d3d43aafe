/**
 * Left menu entries (order = display order). `visible` filters by the session; entries with
 * a `group` sit in its sub-menu (open by default), placed where its first entry is: 党员
 * (名册, 组织关系转接, 流动党员) after 党组织, 分类定级 (定级台账, 评定轮次) after 两新组织, 系统 last.
 */
import type { Component } from 'vue';
import {
  Bell,
  Calendar,
  DataAnalysis,
  Document,
  HomeFilled,
  Medal,
  Notebook,
  OfficeBuilding,
  Position,
  Promotion,
  School,
  Setting,
  Stamp,
  Switch,
  Trophy,
  User,
} from '@element-plus/icons-vue';
import type { useSessionStore } from '@/stores/session';

export interface MenuEntry {
  /** Route path (the menu runs in router mode). */
  path: string;
  /** Catalogue key of the label. */
  labelKey: string;
  icon: Component;
  /** data-testid of the menu item. */
  testid: string;
  visible?: (s: ReturnType<typeof useSessionStore>) => boolean;
  /** Sub-menu the entry belongs to (none: top level). */
  group?: 'members' | 'ratings' | 'system';
}

export const MENU: MenuEntry[] = [
  { path: '/', labelKey: 'menu.home', icon: HomeFilled, testid: 'menu-home' },
  { path: '/alerts', labelKey: 'menu.alerts', icon: Bell, testid: 'menu-alerts', visible: (s) => s.canReadStats },
  { path: '/orgs', labelKey: 'menu.orgs', icon: OfficeBuilding, testid: 'menu-orgs' },
  { path: '/members', labelKey: 'menu.roster', icon: User, testid: 'menu-members', group: 'members' },
  {
    path: '/transfers',
    labelKey: 'menu.transfers',
    icon: Switch,
    testid: 'menu-transfers',
    visible: (s) => s.canReadStats,
    group: 'members',
  },
  {
    path: '/floating',
    labelKey: 'menu.floating',
    icon: Position,
    testid: 'menu-floating',
    visible: (s) => s.canReadStats,
    group: 'members',
  },
  {
    path: '/org-life',
    labelKey: 'menu.orgLife',
    icon: Notebook,
    testid: 'menu-org-life',
    visible: (s) => s.canReadStats,
    group: 'members',
  },
  {
    path: '/development',
    labelKey: 'menu.development',
    icon: Promotion,
    testid: 'menu-development',
    visible: (s) => s.canReadStats,
  },
  {
    path: '/new-orgs',
    labelKey: 'menu.newOrgs',
    icon: School,
    testid: 'menu-new-orgs',
    visible: (s) => s.canReadStats,
  },
  {
    path: '/ratings',
    labelKey: 'menu.ratingLedger',
    icon: Medal,
    testid: 'menu-ratings',
    visible: (s) => s.canReadStats,
    group: 'ratings',
  },
  {
    path: '/ratings/rounds',
    labelKey: 'menu.ratingRounds',
    icon: Trophy,
    testid: 'menu-rating-rounds',
    visible: (s) => s.canReadStats,
    group: 'ratings',
  },
  {
    path: '/evaluations',
    labelKey: 'menu.evaluations',
    icon: Stamp,
    testid: 'menu-evaluations',
    visible: (s) => s.canReadStats,
  },
  {
    path: '/reports/annual',
    labelKey: 'menu.annual',
    icon: DataAnalysis,
    testid: 'menu-annual',
    visible: (s) => s.canReadStats,
  },
  {
    path: '/system/rules',
    labelKey: 'menu.rules',
    icon: Calendar,
    testid: 'menu-rules',
    visible: (s) => s.canManageRules,
    group: 'system',
  },
  {
    path: '/audit',
    labelKey: 'menu.audit',
    icon: Document,
    testid: 'menu-audit',
    visible: (s) => s.canReadAudit,
    group: 'system',
  },
];

/** The sub-menus, in display order: index, catalogue key of the title, icon, testid. */
export const MENU_GROUPS = [
  { index: 'members', labelKey: 'menu.members', icon: User, testid: 'menu-members-group' },
  { index: 'ratings', labelKey: 'menu.ratings', icon: Medal, testid: 'menu-ratings-group' },
  { index: 'system', labelKey: 'menu.system', icon: Setting, testid: 'menu-system' },
] as const;

export type MenuBlock =
  | { type: 'item'; entry: MenuEntry }
  | { type: 'group'; index: string; labelKey: string; icon: Component; testid: string; entries: MenuEntry[] };

/** The visible entries in display order, a sub-menu standing where its first entry is. */
export function menuBlocks(entries: readonly MenuEntry[]): MenuBlock[] {
  const out: MenuBlock[] = [];
  const placed = new Set<string>();
  for (const e of entries) {
    if (!e.group) {
      out.push({ type: 'item', entry: e });
      continue;
    }
    if (placed.has(e.group)) continue;
    placed.add(e.group);
    const g = MENU_GROUPS.find((x) => x.index === e.group);
    if (!g) continue;
    out.push({ type: 'group', ...g, entries: entries.filter((x) => x.group === e.group) });
  }
  return out;
}

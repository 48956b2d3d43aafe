/**
 * Left menu entries (order = display order). `visible` filters by the session; entries with
 * `group: 'system'` sit in the 系统 sub-menu (open by default), after the others.
 */
import type { Component } from 'vue';
import {
  Calendar,
  DataAnalysis,
  Document,
  HomeFilled,
  OfficeBuilding,
  Promotion,
  School,
  Setting,
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
  group?: 'system';
}

export const MENU: MenuEntry[] = [
  { path: '/', labelKey: 'menu.home', icon: HomeFilled, testid: 'menu-home' },
  { path: '/orgs', labelKey: 'menu.orgs', icon: OfficeBuilding, testid: 'menu-orgs' },
  { path: '/members', labelKey: 'menu.members', icon: User, testid: 'menu-members' },
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
export const MENU_GROUPS = [{ index: 'system', labelKey: 'menu.system', icon: Setting, testid: 'menu-system' }] as const;

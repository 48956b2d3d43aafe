/** Left menu entries (order = display order). `visible` filters by the session. */
import type { Component } from 'vue';
import { DataAnalysis, Document, HomeFilled, OfficeBuilding, User } from '@element-plus/icons-vue';
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
}

export const MENU: MenuEntry[] = [
  { path: '/', labelKey: 'menu.home', icon: HomeFilled, testid: 'menu-home' },
  { path: '/orgs', labelKey: 'menu.orgs', icon: OfficeBuilding, testid: 'menu-orgs' },
  { path: '/members', labelKey: 'menu.members', icon: User, testid: 'menu-members' },
  {
    path: '/reports/annual',
    labelKey: 'menu.annual',
    icon: DataAnalysis,
    testid: 'menu-annual',
    visible: (s) => s.canReadStats,
  },
  { path: '/audit', labelKey: 'menu.audit', icon: Document, testid: 'menu-audit', visible: (s) => s.canReadAudit },
];

import type { StatsFilter } from '@/api/types';

/** One number shown under a chart; `testid` marks the element holding the plain count. */
export interface Figure {
  key: string;
  label: string;
  count: number;
  percent?: number | null;
  testid: string;
  /** The members behind the number (makes it clickable: the names drawer). */
  filter?: StatsFilter | null;
  /** What the drawer's title calls the figure (default: `label`). */
  drillLabel?: string;
}

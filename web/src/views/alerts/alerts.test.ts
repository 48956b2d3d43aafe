import { describe, expect, it } from 'vitest';
import { alertLink, AREAS, countByArea } from './alerts';

describe('预警提醒 helpers', () => {
  it('leads each area to the screen that handles it', () => {
    expect(alertLink({ area: 'development', subject_id: 7, severity: 'overdue' }, 3)).toBe('/development/people/7');
    expect(alertLink({ area: 'org_life', subject_id: 9, severity: 'warning' }, 3)).toBe('/members/9');
    expect(alertLink({ area: 'org_life', code: 'self_withdrawal.proposed', subject_id: 9, severity: 'warning' }, 3)).toBe('/members/9');
    expect(alertLink({ area: 'org_life', code: 'self_withdrawal.scope_too_large', subject_id: 1, severity: 'info' }, 1)).toBeNull();
    expect(alertLink({ area: 'org_life', code: 'org_life.branch_short', subject_id: 7, severity: 'warning' }, 1)).toEqual({
      name: 'org-life',
      query: { org: '7', tab: 'meetings' },
    });
    expect(alertLink({ area: 'org', subject_id: 5, severity: 'warning' }, 3)).toEqual({ name: 'orgs', query: { org: '5' } });
    expect(alertLink({ area: 'floating', subject_id: 1, severity: 'overdue' }, 3)).toEqual({ name: 'floating', query: { org: '3', due: '1' } });
    expect(alertLink({ area: 'transfer', subject_id: 1, severity: 'warning' }, null)).toEqual({ name: 'transfers', query: { status: 'pending' } });
    expect(alertLink({ area: 'rectification', subject_id: 1, severity: 'overdue' }, 2)).toEqual({ name: 'ratings', query: { org: '2' } });
    expect(alertLink({ area: 'unknown', subject_id: 1, severity: 'info' }, 2)).toBeNull();
  });

  it('counts per area with every area present', () => {
    const c = countByArea([
      { area: 'org_life', subject_id: 1, severity: 'warning' },
      { area: 'org_life', subject_id: 2, severity: 'warning' },
      { area: 'development', subject_id: 3, severity: 'overdue' },
    ]);
    expect(Object.keys(c).sort()).toEqual([...AREAS].sort());
    expect(c.org_life).toBe(2);
    expect(c.development).toBe(1);
    expect(c.floating).toBe(0);
  });
});

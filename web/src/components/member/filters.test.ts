import { describe, expect, it } from 'vitest';
import { activeFilterCount, emptyState, fromRouteQuery, toFilters, toListQuery, toRouteQuery } from './filters';
import { memberExportUrl } from '@/api/query';

describe('roster filters', () => {
  it('leaves empty fields out', () => {
    expect(toFilters(emptyState(2))).toEqual({ org: 2 });
    expect(toListQuery(emptyState(null))).toEqual({ page: 1, page_size: 20 });
  });
  it('maps every field the API takes', () => {
    const s = emptyState(2);
    Object.assign(s, {
      q: ' zs ',
      gender: '2',
      ethnicity: 'minority',
      education: 'bachelor',
      occupation: 'farmer',
      status: 'probationary',
      village_post: 'any',
      age_min: 0,
      age_max: 35,
      join_from: '1990-01-01',
      join_to: '2000-12-31',
      floating: 'true',
      retired: 'false',
      include_left: true,
      sort: 'name',
    });
    expect(toFilters(s)).toEqual({
      org: 2,
      q: 'zs',
      gender: '2',
      ethnicity: 'minority',
      education: 'bachelor',
      occupation: 'farmer',
      status: 'probationary',
      village_post: 'any',
      age_min: 0,
      age_max: 35,
      join_from: '1990-01-01',
      join_to: '2000-12-31',
      floating: true,
      retired: false,
      include_left: true,
      sort: 'name',
    });
    expect(activeFilterCount(s)).toBe(13);
  });
  it('round-trips through the URL', () => {
    const s = emptyState(7);
    Object.assign(s, { q: '张', age_min: 18, holds_office: 'true', page: 3, page_size: 50, sort: 'join_date' });
    const q = toRouteQuery(s);
    expect(q).toMatchObject({ org: '7', q: '张', age_min: '18', holds_office: 'true', page: '3', page_size: '50' });
    expect(fromRouteQuery(q, 1)).toEqual(s);
  });
  it('ignores malformed URL values', () => {
    const s = fromRouteQuery({ org: 'x', age_min: '-1', floating: 'maybe', sort: 'evil', page_size: '7' }, 4);
    expect(s).toEqual(emptyState(4));
  });
  it('builds the export link from the same filters', () => {
    const s = emptyState(2);
    s.gender = '2';
    s.include_left = true;
    expect(memberExportUrl(toFilters(s))).toBe('/api/v1/members/export.xlsx?org=2&gender=2&include_left=true');
  });
});

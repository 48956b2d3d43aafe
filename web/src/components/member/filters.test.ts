import { describe, expect, it } from 'vitest';
import { activeFilterCount, emptyState, fromRouteQuery, toFilters, toListQuery, toRouteQuery, searchMatches } from './filters';
import { memberExportUrl } from '@/api/query';

describe('what a search matches', () => {
  it('4 digits: ID tail and phone; X: ID tail; longer digits: phone; 18: the ID number', () => {
    expect(searchMatches('1234')).toBe('id_tail_and_phone');
    expect(searchMatches(' 0021 ')).toBe('id_tail_and_phone');
    expect(searchMatches('002X')).toBe('id_tail');
    expect(searchMatches('002x')).toBe('id_tail');
    expect(searchMatches('123')).toBeNull();
    expect(searchMatches('12345')).toBe('phone');
    expect(searchMatches('13800001234')).toBe('phone');
    expect(searchMatches('11010519491231002X')).toBe('id');
    expect(searchMatches('110105194912310021')).toBe('id');
    expect(searchMatches('张三')).toBeNull();
    expect(searchMatches('zs')).toBeNull();
  });
});

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

import { beforeEach, describe, expect, it } from 'vitest';
import { COLUMNS_STORAGE_KEY, DEFAULT_COLUMNS, loadColumns, saveColumns } from './columns';

describe('column chooser storage', () => {
  beforeEach(() => localStorage.clear());
  it('defaults when nothing is saved or the value is broken', () => {
    expect(loadColumns()).toEqual(DEFAULT_COLUMNS);
    localStorage.setItem(COLUMNS_STORAGE_KEY, '{oops');
    expect(loadColumns()).toEqual(DEFAULT_COLUMNS);
  });
  it('saves and restores in table order, dropping unknown names', () => {
    saveColumns(['phone', 'gender', 'nonsense']);
    expect(JSON.parse(localStorage.getItem(COLUMNS_STORAGE_KEY)!)).toEqual(['gender', 'phone']);
    expect(loadColumns()).toEqual(['gender', 'phone']);
  });
  it('keeps an empty choice empty', () => {
    saveColumns([]);
    expect(loadColumns()).toEqual([]);
  });
});

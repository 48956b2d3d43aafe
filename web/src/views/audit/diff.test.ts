import { describe, expect, it } from 'vitest';
import { diffRows, flatten } from './diff';

describe('audit diff', () => {
  it('compares top-level and nested fields', () => {
    const rows = diffRows(
      { name: '张三', phone: '123', addr: { city: 'A', zip: 1 }, gone: true },
      { name: '张三', phone: '456', addr: { city: 'B', zip: 1 }, extra: [1, 2] },
    );
    const by = Object.fromEntries(rows.map((r) => [r.field, r]));
    expect(by.name).toMatchObject({ changed: false, kind: 'both' });
    expect(by.phone).toMatchObject({ before: '123', after: '456', changed: true });
    expect(by['addr.city']).toMatchObject({ before: 'A', after: 'B', changed: true });
    expect(by['addr.zip']).toMatchObject({ changed: false });
    expect(by.gone).toMatchObject({ kind: 'removed', before: 'true', after: '', changed: true });
    expect(by.extra).toMatchObject({ kind: 'added', after: '[ 1, 2 ]', changed: true });
  });

  it('handles missing sides and non-objects', () => {
    expect(diffRows(null, { a: 1 })).toEqual([{ field: 'a', before: '', after: '1', changed: true, kind: 'added' }]);
    expect(diffRows(undefined, undefined)).toEqual([]);
    expect(flatten(5)).toEqual({ '': 5 });
    expect(diffRows({ a: null }, { a: null })[0]).toMatchObject({ before: 'null', changed: false });
  });
});

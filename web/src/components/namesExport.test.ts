import { describe, expect, it } from 'vitest';
import type { HitPage, HitRow } from '@/api/types';
import { fetchAll, fileNameOf, namesCsv, namesPrintHtml } from './namesExport';

const C = { index: '序号', name: '姓名', gender: '性别', birthDate: '出生日期', org: '所在党组织', event: '事项', date: '日期' };
function row(i: number, extra: Partial<HitRow> = {}): HitRow {
  return { member_id: i, name: `党员${i}`, gender: '男', birth_date: '1970-01-01', org_id: 1, org_name: '甲村党支部', date: null, event: null, event_label: null, ...extra } as HitRow;
}

describe('names export', () => {
  it('fetches every page', async () => {
    const all = Array.from({ length: 1234 }, (_, i) => row(i));
    const calls: [number, number][] = [];
    const got = await fetchAll(async (o, l): Promise<HitPage> => {
      calls.push([o, l]);
      return { total: all.length, items: all.slice(o, o + l) } as HitPage;
    });
    expect(got).toHaveLength(1234);
    expect(calls.map((c) => c[0])).toEqual([0, 500, 1000]);
  });

  it('CSV: BOM, title, header, quoted cells, no formulas', () => {
    const csv = namesCsv('男党员 2 人', [row(1), row(2, { name: '=1+1', org_name: '含"引号"的支部' })], C, false);
    expect(csv.startsWith('\uFEFF"男党员 2 人"\r\n"序号","姓名","性别","出生日期","所在党组织"\r\n')).toBe(true);
    expect(csv).toContain('"1","党员1","男","1970-01-01","甲村党支部"');
    expect(csv).toContain(`"2","'=1+1","男","1970-01-01","含""引号""的支部"`);
  });

  it('events add the event and its date', () => {
    const csv = namesCsv('t', [row(1, { event_label: '转入', date: '2004-03-01' })], C, true);
    expect(csv).toContain('"事项","日期"');
    expect(csv).toContain('"转入","2004-03-01"');
  });

  it('print page escapes names', () => {
    const html = namesPrintHtml('名单', '共 1 人', [row(1, { name: '<b>张</b>' })], C, false);
    expect(html).toContain('&lt;b&gt;张&lt;/b&gt;');
    expect(html).toContain('<th>所在党组织</th>');
  });

  it('file names', () => {
    expect(fileNameOf('年龄 35岁及以下的党员 1/2', 'csv')).toBe('年龄_35岁及以下的党员_1_2.csv');
  });
});

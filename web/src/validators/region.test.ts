import { describe, expect, it } from 'vitest';
import { checkRegionCode } from './region';

describe('GB/T 2260 division code format', () => {
  it('accepts 6- and 12-digit codes', () => {
    for (const c of ['110000', '110100', '110105', '320124', '441900', '320124100000', '320124100201', '441900003000', '810000']) {
      expect(checkRegionCode(c).ok, c).toBe(true);
    }
    expect(checkRegionCode(' 320124 ')).toEqual({ ok: true, value: '320124' });
  });

  it('rejects other lengths and non-digits', () => {
    for (const c of ['', '11010', '1101050', '11010510000', '1101051000000']) {
      expect(checkRegionCode(c), c).toMatchObject({ code: 'org.region_code_length' });
    }
    expect(checkRegionCode('11010A')).toMatchObject({ code: 'org.region_code_format' });
    expect(checkRegionCode('１１0105')).toMatchObject({ code: 'org.region_code_format' });
  });

  it('requires a province-level prefix and an assigned prefecture', () => {
    expect(checkRegionCode('000000')).toMatchObject({ code: 'org.region_code_province', params: { province: '00' } });
    expect(checkRegionCode('190000')).toMatchObject({ code: 'org.region_code_province' });
    expect(checkRegionCode('117100')).toMatchObject({ code: 'org.region_code_prefecture', params: { prefecture: '71' } });
    expect(checkRegionCode('119000').ok).toBe(true);
    expect(checkRegionCode('117000').ok).toBe(true);
  });

  it('requires contiguous layers', () => {
    expect(checkRegionCode('110001')).toMatchObject({ code: 'org.region_code_hierarchy' });
    expect(checkRegionCode('320124000001')).toMatchObject({ code: 'org.region_code_hierarchy' });
    expect(checkRegionCode('320000100000')).toMatchObject({ code: 'org.region_code_hierarchy' });
  });
});

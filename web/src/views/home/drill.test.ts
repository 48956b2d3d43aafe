/**
 * The dashboard's figure → predicate mapping, compared with the JSON the statistics API
 * documents for each summary figure (GET /api/v1/stats/members?filter=…).
 */
import { describe, expect, it } from 'vitest';
import type { StatsFilter } from '@/api/types';
import {
  AGE_BANDS,
  ageBandFilter,
  ageSeedFilter,
  educationFilter,
  educationSeedFilter,
  fieldFilter,
  joinEraFilter,
  memberFilter,
  occupationFilter,
  villageCadreFilter,
} from './drill';

const json = (f: StatsFilter | null) => JSON.stringify(f);

describe('member figures', () => {
  it('maps the headline figures', () => {
    expect(json(memberFilter('total'))).toBe('"all"');
    expect(json(memberFilter('probationary'))).toBe('"probationary"');
    expect(json(memberFilter('full'))).toBe('{"not":"probationary"}');
    expect(json(memberFilter('female'))).toBe('"female"');
    expect(json(memberFilter('male'))).toBe('{"not":"female"}');
    expect(json(memberFilter('minority'))).toBe('"minority"');
  });
});

describe('age', () => {
  it('maps the eight bands in the summary order', () => {
    expect(AGE_BANDS).toHaveLength(8);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => json(ageBandFilter(i)))).toEqual([
      '{"age":{"max":30}}',
      '{"age":{"min":31,"max":35}}',
      '{"age":{"min":36,"max":40}}',
      '{"age":{"min":41,"max":45}}',
      '{"age":{"min":46,"max":50}}',
      '{"age":{"min":51,"max":55}}',
      '{"age":{"min":56,"max":60}}',
      '{"age":{"min":61}}',
    ]);
    expect(ageBandFilter(8)).toBeNull();
    expect(ageBandFilter(-1)).toBeNull();
  });

  it('maps the seed age groups', () => {
    expect(json(ageSeedFilter('le35'))).toBe('{"age":{"max":35}}');
    expect(json(ageSeedFilter('36_55'))).toBe('{"age":{"min":36,"max":55}}');
    expect(json(ageSeedFilter('gt55'))).toBe('{"age":{"min":56}}');
    expect(ageSeedFilter('x')).toBeNull();
  });

  it('gives each call its own object', () => {
    const a = ageBandFilter(0) as { age: { max?: number } };
    a.age.max = 99;
    expect(json(ageBandFilter(0))).toBe('{"age":{"max":30}}');
  });
});

describe('education and occupation', () => {
  it('maps one code', () => {
    expect(json(educationFilter('bachelor'))).toBe('{"education":["bachelor"]}');
    expect(json(occupationFilter('farmer'))).toBe('{"occupation":["farmer"]}');
  });

  it('maps the seed education levels to their codes', () => {
    expect(json(educationSeedFilter('college_or_above'))).toBe('{"education":["postgraduate","bachelor","college"]}');
    expect(json(educationSeedFilter('secondary_or_high_school'))).toBe('{"education":["technical_secondary","high_school"]}');
    expect(json(educationSeedFilter('junior_high_or_below'))).toBe('{"education":["junior_or_below"]}');
    expect(educationSeedFilter('x')).toBeNull();
  });
});

describe('join eras', () => {
  it('maps the four eras to half-open date ranges', () => {
    expect(json(joinEraFilter('before_1949_10'))).toBe('{"joined":{"before":"1949-10-01"}}');
    expect(json(joinEraFilter('1949_10_to_1978_12'))).toBe('{"joined":{"from":"1949-10-01","before":"1978-12-18"}}');
    expect(json(joinEraFilter('1978_12_to_2012_11'))).toBe('{"joined":{"from":"1978-12-18","before":"2012-11-08"}}');
    expect(json(joinEraFilter('since_2012_11'))).toBe('{"joined":{"from":"2012-11-08"}}');
    expect(joinEraFilter('x')).toBeNull();
  });
});

describe('fields and village cadres', () => {
  it('maps members by field', () => {
    expect(json(fieldFilter('rural'))).toBe('{"field":["rural"]}');
  });

  it('maps the village cadre figures', () => {
    expect(json(villageCadreFilter('total'))).toBe(
      '{"village_post":["secretary","director","secretary_director","deputy_secretary","deputy_director","committee_member"]}',
    );
    expect(json(villageCadreFilter('secretaries'))).toBe('{"village_post":["secretary","secretary_director"]}');
    expect(json(villageCadreFilter('directors'))).toBe('{"village_post":["director","secretary_director"]}');
    expect(json(villageCadreFilter('dual_role'))).toBe('{"village_post":["secretary_director"]}');
  });
});

/**
 * Administrative division codes: GB/T 2260 (6 digits) or the 统计用区划代码 (12 digits) —
 * mirrors the server's `jiceng_domain::region::validate`: only the format is checked
 * (digits 1–2 a province-level division, 3–4 assigned by the standard, layers contiguous),
 * never membership in a current list.
 */
import { fail, pass, type Check } from './result';

/** First two digits of the 34 province-level divisions. */
export const PROVINCE_PREFIXES: readonly string[] = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64',
  '65', '71', '81', '82',
];

function prefectureAssigned(pref: string): boolean {
  const n = Number(pref);
  return (n >= 0 && n <= 70) || n === 90;
}

/** Validates a division code; returns it trimmed. */
export function checkRegionCode(input: string | null | undefined): Check {
  const code = (input ?? '').trim();
  const len = [...code].length;
  if (len !== 6 && len !== 12) return fail('org.region_code_length', 'validation.region.length');
  if (!/^\d+$/.test(code)) return fail('org.region_code_format', 'validation.region.format');
  const prov = code.slice(0, 2);
  const pref = code.slice(2, 4);
  const county = code.slice(4, 6);
  if (!PROVINCE_PREFIXES.includes(prov)) {
    return fail('org.region_code_province', 'validation.region.province', { province: prov });
  }
  if (!prefectureAssigned(pref)) {
    return fail('org.region_code_prefecture', 'validation.region.prefecture', { prefecture: pref });
  }
  if (pref === '00' && county !== '00') return fail('org.region_code_hierarchy', 'validation.region.hierarchy');
  if (len === 12) {
    const town = code.slice(6, 9);
    const village = code.slice(9, 12);
    if (town === '000' && village !== '000') return fail('org.region_code_hierarchy', 'validation.region.hierarchy');
    if (town !== '000' && pref === '00') return fail('org.region_code_hierarchy', 'validation.region.hierarchy');
  }
  return pass(code);
}

/** Field-by-field comparison of an audit row's before/after JSON. */

export interface DiffRow {
  field: string;
  before: string;
  after: string;
  changed: boolean;
  /** only in before / only in after / in both */
  kind: 'removed' | 'added' | 'both';
}

function show(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 1).replace(/\n\s*/g, ' ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Rows for the union of top-level keys (nested objects are flattened with dots), in the
 * order they appear (before's keys first). Non-object values are shown under "".
 */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const b = flatten(before);
  const a = flatten(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((k) => {
    const inB = k in b;
    const inA = k in a;
    const bs = inB ? show(b[k]) : '';
    const as = inA ? show(a[k]) : '';
    return {
      field: k,
      before: bs,
      after: as,
      changed: inB !== inA || bs !== as,
      kind: inB && inA ? 'both' : inB ? 'removed' : 'added',
    };
  });
}

export function flatten(v: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (v === null || v === undefined) return out;
  if (!isObject(v)) {
    out[prefix] = v;
    return out;
  }
  const entries = Object.entries(v);
  if (entries.length === 0 && prefix) out[prefix] = {};
  for (const [k, x] of entries) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObject(x) && Object.keys(x).length > 0) flatten(x, key, out);
    else out[key] = x;
  }
  return out;
}

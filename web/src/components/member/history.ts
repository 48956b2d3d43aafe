/**
 * Readable lines for a member event's `data`: introduction letter, note, arrival as
 * probationary, and for `updated` events each changed field with its old and new value
 * (codes shown by their labels).
 */
export interface Lookup {
  t: (key: string, params?: Record<string, unknown>) => string;
  code: (table: string, code: string) => string;
}

/** Fields whose changes are listed (labels `member.fields.<name>`). */
export const CHANGE_FIELDS = [
  'name',
  'gender',
  'ethnicity',
  'birth_date',
  'id_number',
  'native_place',
  'education',
  'occupation',
  'phone',
  'address',
  'village_post',
  'retired',
  'in_difficulty',
  'holds_office',
  'floating',
  'pre1949_veteran',
  'status',
  'org_name',
  'join_date',
  'full_date',
  'left_date',
  'left_kind',
  'active',
] as const;

const CODED: Record<string, string> = {
  gender: 'gender',
  ethnicity: 'ethnicity',
  education: 'education',
  occupation: 'occupation',
  village_post: 'village_post',
  status: 'member_status',
  left_kind: 'member_event_kind',
};

function value(field: string, v: unknown, l: Lookup): string {
  if (v === null || v === undefined || v === '') return l.t('member.none');
  if (typeof v === 'boolean') return v ? l.t('common.yes') : l.t('common.no');
  const table = CODED[field];
  return table ? l.code(table, String(v)) : String(v);
}

export function eventDetails(data: unknown, l: Lookup): string[] {
  if (typeof data !== 'object' || data === null) return [];
  const d = data as Record<string, unknown>;
  const out: string[] = [];
  if (typeof d.letter_no === 'string' && d.letter_no) out.push(l.t('member.history.letter', { no: d.letter_no }));
  if (d.probationary === true) out.push(l.t('member.history.probationary'));
  const changes = d.changes;
  if (typeof changes === 'object' && changes !== null) {
    const c = changes as Record<string, { from?: unknown; to?: unknown } | undefined>;
    for (const f of CHANGE_FIELDS) {
      const ch = c[f];
      if (!ch) continue;
      out.push(
        l.t('member.history.change', {
          field: l.t(`member.fields.${f}`),
          from: value(f, ch.from, l),
          to: value(f, ch.to, l),
        }),
      );
    }
  }
  if (typeof d.note === 'string' && d.note) out.push(l.t('member.history.note', { note: d.note }));
  return out;
}

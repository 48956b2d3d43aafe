/**
 * 组织关系转接 logic without component state: status tags, the actions a row offers (the
 * server's rules in crates/store/src/transfer.rs: the receiving side receives or rejects a
 * pending internal transfer, the sending side cancels it; the sender records the receipt
 * slip of a pending outbound one; inbound ones are recorded received), the checks of the
 * 发起转接 form that mirror the server's, and its body.
 */
import type { NewTransfer, TransferView } from '@/api/types';

export type Direction = 'in' | 'out';

/**
 * The inbox tab to open on: the one named in the URL (?direction=), else 转入 when something
 * waits to be received there, else 转出.
 */
export function startDirection(query: unknown, pendingIn: number): Direction {
  if (query === 'in' || query === 'out') return query;
  return pendingIn > 0 ? 'in' : 'out';
}
export type TransferKind = 'internal' | 'outbound' | 'inbound';
export type TransferAct = 'receive' | 'reject' | 'cancel';

export const STATUSES = ['pending', 'received', 'rejected', 'cancelled'] as const;
export const KINDS: readonly TransferKind[] = ['internal', 'outbound', 'inbound'];

/** Element Plus tag type of a status. */
export function statusTag(status: string): 'warning' | 'success' | 'danger' | 'info' {
  switch (status) {
    case 'pending':
      return 'warning';
    case 'received':
      return 'success';
    case 'rejected':
      return 'danger';
    default:
      return 'info';
  }
}

/** Catalogue key of a status label (在途, 已接收, 已退回, 已撤销). */
export function statusKey(status: string): string {
  return (STATUSES as readonly string[]).includes(status) ? `transfer.status.${status}` : 'transfer.status.unknown';
}

/** What a row offers in an inbox tab (the server still decides; its refusal is shown). */
export function rowActions(t: Pick<TransferView, 'status' | 'kind'>, direction: Direction): TransferAct[] {
  if (t.status !== 'pending') return [];
  if (t.kind === 'internal') return direction === 'in' ? ['receive', 'reject'] : ['cancel'];
  if (t.kind === 'outbound') return direction === 'out' ? ['receive'] : [];
  return [];
}

/** Catalogue key of an action's button / dialog title (outbound receipt: 登记回执). */
export function actionKey(act: TransferAct, kind: string): string {
  if (act === 'receive' && kind === 'outbound') return 'transfer.act.slip';
  return `transfer.act.${act}`;
}

/** The 发起转接 form. */
export interface TransferForm {
  kind: TransferKind;
  member_id: number | null;
  /** The member's version as read. */
  version: number | null;
  to_org_id: number | null;
  letter_no: string;
  destination: string;
  origin: string;
  /** YYYY-MM */
  dues_paid_until: string;
  issued: string;
  received: string;
  note: string;
  probationary: boolean;
  person: {
    name: string;
    gender: string;
    birth_date: string;
    id_number: string;
    education: string;
    occupation: string;
    join_date: string;
    full_date: string;
    phone: string;
  };
}

export function blankTransfer(today: string, kind: TransferKind = 'internal'): TransferForm {
  return {
    kind,
    member_id: null,
    version: null,
    to_org_id: null,
    letter_no: '',
    destination: '',
    origin: '',
    dues_paid_until: '',
    issued: today,
    received: '',
    note: '',
    probationary: false,
    person: {
      name: '',
      gender: '',
      birth_date: '',
      id_number: '',
      education: '',
      occupation: '',
      join_date: '',
      full_date: '',
      phone: '',
    },
  };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Problems of the form as catalogue keys by field, mirroring the server's checks
 * (transfer.member_required, to_org_required, letter_required, destination_required,
 * origin_required, date_future, dues_month_invalid, received_before_issue, full_date_required).
 */
export function checkTransfer(f: TransferForm, today: string): Record<string, string> {
  const p: Record<string, string> = {};
  if (!f.issued) p.issued = 'transfer.problems.issuedRequired';
  else if (today && f.issued > today) p.issued = 'transfer.problems.future';
  if (f.dues_paid_until && !MONTH.test(f.dues_paid_until)) p.dues_paid_until = 'transfer.problems.duesMonth';
  if (f.kind !== 'inbound' && f.member_id === null) p.member_id = 'transfer.problems.memberRequired';
  if (f.kind !== 'internal' && !f.letter_no.trim()) p.letter_no = 'transfer.problems.letterRequired';
  if (f.kind === 'internal' && f.to_org_id === null) p.to_org_id = 'transfer.problems.toOrgRequired';
  if (f.kind === 'outbound' && !f.destination.trim()) p.destination = 'transfer.problems.destinationRequired';
  if (f.kind === 'inbound') {
    if (f.to_org_id === null) p.to_org_id = 'transfer.problems.toOrgRequired';
    if (!f.origin.trim()) p.origin = 'transfer.problems.originRequired';
    if (f.received && f.issued && f.received < f.issued) p.received = 'transfer.problems.receivedBeforeIssue';
    if (f.received && today && f.received > today) p.received = 'transfer.problems.future';
    const ps = f.person;
    if (!ps.name.trim()) p['person.name'] = 'transfer.problems.personName';
    if (!ps.gender) p['person.gender'] = 'transfer.problems.personGender';
    if (!ps.birth_date) p['person.birth_date'] = 'transfer.problems.personBirth';
    if (!ps.education) p['person.education'] = 'transfer.problems.personEducation';
    if (!ps.occupation) p['person.occupation'] = 'transfer.problems.personOccupation';
    if (!ps.join_date) p['person.join_date'] = 'transfer.problems.personJoin';
    if (!f.probationary && !ps.full_date) p['person.full_date'] = 'transfer.problems.fullDateRequired';
  }
  return p;
}

function orNull(s: string): string | null {
  const v = s.trim();
  return v === '' ? null : v;
}

/** POST /api/v1/transfers body of the form (only the fields of its kind). */
export function transferBody(f: TransferForm): NewTransfer {
  const base: NewTransfer = {
    kind: f.kind,
    issued: f.issued,
    letter_no: orNull(f.letter_no),
    dues_paid_until: orNull(f.dues_paid_until),
    note: orNull(f.note),
  };
  if (f.kind === 'internal') {
    return { ...base, member_id: f.member_id, version: f.version, to_org_id: f.to_org_id };
  }
  if (f.kind === 'outbound') {
    return { ...base, member_id: f.member_id, version: f.version, destination: orNull(f.destination) };
  }
  const ps = f.person;
  return {
    ...base,
    to_org_id: f.to_org_id,
    origin: orNull(f.origin),
    received: orNull(f.received),
    probationary: f.probationary,
    person: {
      name: ps.name.trim(),
      gender: ps.gender,
      birth_date: ps.birth_date,
      id_number: orNull(ps.id_number),
      education: ps.education,
      occupation: ps.occupation,
      join_date: ps.join_date,
      full_date: f.probationary ? null : orNull(ps.full_date),
      phone: orNull(ps.phone),
    },
  };
}

/** The other side's name as shown in a tab: 转入 shows where from, 转出 where to. */
export function counterpart(t: TransferView, direction: Direction): string {
  if (direction === 'in') return t.from_org_name ?? t.origin ?? '';
  return t.to_org_name ?? t.destination ?? '';
}

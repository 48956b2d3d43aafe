/**
 * 流动党员 logic without component state: status tags, the contact column (days since the
 * last contact, 失联待确认 when the period without contact is complete), the actions a
 * registration offers (crates/store/src/floating.rs: contacts, return, cancel while away;
 * 失联 confirmation once due), and the register / contact / action forms' checks and bodies.
 */
import type { FloatingAction, FloatingView, NewFloating, NewFloatingContact } from '@/api/types';

export const STATUSES = ['away', 'returned', 'cancelled'] as const;
export const WAYS = ['phone', 'visit', 'online', 'letter'] as const;

export function statusTag(status: string): 'warning' | 'success' | 'info' {
  return status === 'away' ? 'warning' : status === 'returned' ? 'success' : 'info';
}

/** The contact state of a row: lost (失联), due (失联待确认), late (over half the period) or ok. */
export function contactState(r: Pick<FloatingView, 'status' | 'lost' | 'due_lost_contact' | 'days_since_contact'>): 'lost' | 'due' | 'late' | 'ok' | 'none' {
  if (r.status !== 'away') return 'none';
  if (r.lost) return 'lost';
  if (r.due_lost_contact) return 'due';
  return r.days_since_contact >= 90 ? 'late' : 'ok';
}

export type FloatingAct = 'return' | 'lost' | 'cancel';

/** What a registration offers: while away, return and cancel; 失联 once due (not yet lost). */
export function floatingActions(r: Pick<FloatingView, 'status' | 'lost' | 'due_lost_contact'>): FloatingAct[] {
  if (r.status !== 'away') return [];
  const acts: FloatingAct[] = ['return'];
  if (!r.lost && r.due_lost_contact) acts.push('lost');
  acts.push('cancel');
  return acts;
}

/** Contacts can be logged while away (a contact on or after the 失联 date ends it). */
export function canContact(r: Pick<FloatingView, 'status'>): boolean {
  return r.status === 'away';
}

export interface RegisterForm {
  member_id: number | null;
  version: number | null;
  certificate_no: string;
  out_date: string;
  destination: string;
  region_code: string;
  reason: string;
  until_date: string;
  receiving_org_id: number | null;
  note: string;
}

export function blankRegister(today: string): RegisterForm {
  return {
    member_id: null,
    version: null,
    certificate_no: '',
    out_date: today,
    destination: '',
    region_code: '',
    reason: '',
    until_date: '',
    receiving_org_id: null,
    note: '',
  };
}

/** Problems by field (catalogue keys), mirroring floating.certificate_required, … */
export function checkRegister(f: RegisterForm, today: string): Record<string, string> {
  const p: Record<string, string> = {};
  if (f.member_id === null) p.member_id = 'floating.problems.memberRequired';
  if (!f.certificate_no.trim()) p.certificate_no = 'floating.problems.certificateRequired';
  if (!f.out_date) p.out_date = 'floating.problems.outDateRequired';
  else if (today && f.out_date > today) p.out_date = 'floating.problems.future';
  if (!f.destination.trim()) p.destination = 'floating.problems.destinationRequired';
  if (!f.reason.trim()) p.reason = 'floating.problems.reasonRequired';
  if (f.region_code.trim() && !/^(\d{6}|\d{12})$/.test(f.region_code.trim())) p.region_code = 'floating.problems.regionCode';
  if (f.until_date && f.out_date && f.until_date < f.out_date) p.until_date = 'floating.problems.untilBeforeOut';
  return p;
}

function orNull(s: string): string | null {
  const v = s.trim();
  return v === '' ? null : v;
}

export function registerBody(f: RegisterForm): NewFloating {
  return {
    member_id: f.member_id ?? 0,
    version: f.version ?? 0,
    certificate_no: f.certificate_no.trim(),
    out_date: f.out_date,
    destination: f.destination.trim(),
    region_code: orNull(f.region_code),
    reason: f.reason.trim(),
    until_date: orNull(f.until_date),
    receiving_org_id: f.receiving_org_id,
    note: orNull(f.note),
  };
}

export interface ContactForm {
  date: string;
  way: string;
  note: string;
}

export function contactBody(f: ContactForm, version: number): NewFloatingContact {
  return { version, way: f.way, date: f.date || null, note: orNull(f.note) };
}

export interface ActForm {
  date: string;
  cause: string;
  reason: string;
  note: string;
}

/** Problem of an action form (catalogue key) or null. */
export function checkAct(act: FloatingAct, f: ActForm, today: string, outDate: string): string | null {
  if (f.date && today && f.date > today) return 'floating.problems.future';
  if (f.date && outDate && f.date < outDate) return 'floating.problems.beforeOut';
  if (act === 'lost' && !f.cause) return 'floating.problems.causeRequired';
  if (act === 'cancel' && !f.reason.trim()) return 'floating.problems.cancelReasonRequired';
  return null;
}

export function actBody(act: FloatingAct, f: ActForm, version: number): FloatingAction {
  return {
    version,
    date: f.date || null,
    note: orNull(f.note),
    cause: act === 'lost' ? f.cause : null,
    reason: act === 'cancel' ? orNull(f.reason) : null,
  };
}

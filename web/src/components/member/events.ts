/**
 * Lifecycle events a user records on a member's page (POST /api/v1/members/{id}/events),
 * which of them apply to the member's current state, and what each one needs.
 * The server checks every transition again and its refusal is shown as it words it.
 */
import type { MemberView } from '@/api/types';

/** Kinds offered in the dialog, in this order (labels: code table `member_event_kind`). */
export const RECORDABLE_KINDS = [
  'converted',
  'probation_extended',
  'probation_cancelled',
  'moved',
  'transferred_out',
  'floating_out',
  'floating_back',
  'suspended',
  'restored',
  'expelled',
  'withdrew',
  'self_withdrawal',
  'died',
  'transferred_in',
] as const;
export type RecordableKind = (typeof RECORDABLE_KINDS)[number];

/** Kinds that name a receiving org. */
export const NEEDS_ORG: readonly string[] = ['moved', 'transferred_in'];
/** Kinds that carry an introduction letter number. */
export const TAKES_LETTER: readonly string[] = ['transferred_out', 'transferred_in'];
/** Kinds that take the member off the roster (confirmation asked). */
export const ENDS_MEMBERSHIP: readonly string[] = [
  'probation_cancelled',
  'transferred_out',
  'expelled',
  'withdrew',
  'self_withdrawal',
  'died',
];

/**
 * Kinds that make sense for the member as shown: someone off the roster can only be
 * transferred back in; probation kinds need a probationary member; floating out/back
 * follow the floating flag; suspend/restore follow the suspended flag.
 */
export function applicableKinds(
  m: Pick<MemberView, 'active' | 'status' | 'floating'> & Partial<Pick<MemberView, 'suspended'>>,
): RecordableKind[] {
  if (!m.active) return ['transferred_in'];
  return RECORDABLE_KINDS.filter((k) => {
    if (k === 'transferred_in') return false;
    if (k === 'converted' || k === 'probation_extended' || k === 'probation_cancelled') {
      return m.status === 'probationary';
    }
    if (k === 'floating_out') return !m.floating;
    if (k === 'floating_back') return m.floating;
    if (k === 'suspended') return !m.suspended;
    if (k === 'restored') return !!m.suspended;
    return true;
  });
}

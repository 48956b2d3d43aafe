import { describe, expect, it } from 'vitest';
import { actionKey, blankTransfer, checkTransfer, counterpart, rowActions, statusKey, statusTag, transferBody } from './transfer';
import { startDirection } from './transfer';
import type { TransferView } from '@/api/types';

const TODAY = '2004-12-31';

function view(p: Partial<TransferView>): TransferView {
  return {
    id: 1,
    kind: 'internal',
    kind_zh: '',
    status: 'pending',
    status_zh: '',
    member_id: 7,
    member_name: 'A',
    issued: '2004-12-01',
    probationary: false,
    version: 1,
    created_at: '',
    updated_at: '',
    from_org_id: 10,
    from_org_name: 'From',
    to_org_id: 20,
    to_org_name: 'To',
    ...p,
  };
}

describe('transfer rows', () => {
  it('maps the statuses to tags and catalogue keys (在途 for pending)', () => {
    expect(statusTag('pending')).toBe('warning');
    expect(statusTag('received')).toBe('success');
    expect(statusTag('rejected')).toBe('danger');
    expect(statusTag('cancelled')).toBe('info');
    expect(statusKey('pending')).toBe('transfer.status.pending');
    expect(statusKey('odd')).toBe('transfer.status.unknown');
  });

  it('offers receive / reject on the receiving side and cancel on the sending side, only while pending', () => {
    expect(rowActions(view({}), 'in')).toEqual(['receive', 'reject']);
    expect(rowActions(view({}), 'out')).toEqual(['cancel']);
    expect(rowActions(view({ status: 'received' }), 'in')).toEqual([]);
    expect(rowActions(view({ status: 'rejected' }), 'out')).toEqual([]);
    // Outbound: the sender records the receipt slip; never rejected or cancelled.
    expect(rowActions(view({ kind: 'outbound' }), 'out')).toEqual(['receive']);
    expect(rowActions(view({ kind: 'outbound' }), 'in')).toEqual([]);
    expect(rowActions(view({ kind: 'inbound', status: 'received' }), 'in')).toEqual([]);
    expect(actionKey('receive', 'outbound')).toBe('transfer.act.slip');
    expect(actionKey('receive', 'internal')).toBe('transfer.act.receive');
  });

  it('shows the other side per tab', () => {
    expect(counterpart(view({}), 'in')).toBe('From');
    expect(counterpart(view({}), 'out')).toBe('To');
    expect(counterpart(view({ kind: 'outbound', to_org_name: null, destination: 'X county' }), 'out')).toBe('X county');
    expect(counterpart(view({ kind: 'inbound', from_org_name: null, origin: 'Y city' }), 'in')).toBe('Y city');
  });
});

describe('transfer form', () => {
  it('requires the member and the receiving org for an internal transfer', () => {
    const f = blankTransfer(TODAY);
    expect(checkTransfer(f, TODAY)).toEqual({
      member_id: 'transfer.problems.memberRequired',
      to_org_id: 'transfer.problems.toOrgRequired',
    });
    Object.assign(f, { member_id: 7, version: 3, to_org_id: 20, dues_paid_until: '2004-11' });
    expect(checkTransfer(f, TODAY)).toEqual({});
    expect(transferBody(f)).toEqual({
      kind: 'internal',
      issued: TODAY,
      letter_no: null,
      dues_paid_until: '2004-11',
      note: null,
      member_id: 7,
      version: 3,
      to_org_id: 20,
    });
  });

  it('checks dates and the dues month', () => {
    const f = { ...blankTransfer(TODAY), member_id: 1, to_org_id: 2, issued: '2005-01-01', dues_paid_until: '2004-13' };
    expect(checkTransfer(f, TODAY)).toEqual({
      issued: 'transfer.problems.future',
      dues_paid_until: 'transfer.problems.duesMonth',
    });
  });

  it('needs the letter and the destination for an outbound transfer, sends no receiving org', () => {
    const f = { ...blankTransfer(TODAY, 'outbound'), member_id: 7, version: 1, to_org_id: 5 };
    expect(checkTransfer(f, TODAY)).toEqual({
      letter_no: 'transfer.problems.letterRequired',
      destination: 'transfer.problems.destinationRequired',
    });
    Object.assign(f, { letter_no: ' L-1 ', destination: 'Z' });
    const body = transferBody(f);
    expect(body.letter_no).toBe('L-1');
    expect(body.destination).toBe('Z');
    expect(body.to_org_id).toBeUndefined();
  });

  it('needs the person, origin and a full date (unless probationary) for an inbound transfer', () => {
    const f = blankTransfer(TODAY, 'inbound');
    const p = checkTransfer(f, TODAY);
    expect(p.member_id).toBeUndefined();
    expect(p.origin).toBe('transfer.problems.originRequired');
    expect(p['person.full_date']).toBe('transfer.problems.fullDateRequired');
    f.probationary = true;
    expect(checkTransfer(f, TODAY)['person.full_date']).toBeUndefined();
    Object.assign(f, { to_org_id: 3, origin: 'O', letter_no: 'L', received: '2004-11-30', issued: '2004-12-01' });
    Object.assign(f.person, { name: 'N', gender: 'female', birth_date: '1980-01-01', education: '1', occupation: '2', join_date: '2004-06-01', full_date: '2004-12-01' });
    expect(checkTransfer(f, TODAY)).toEqual({ received: 'transfer.problems.receivedBeforeIssue' });
    f.received = '';
    const body = transferBody(f);
    expect(body.person?.full_date).toBeNull();
    expect(body.probationary).toBe(true);
    expect(body.member_id).toBeUndefined();
    expect(body.origin).toBe('O');
  });
});

describe('startDirection', () => {
  it('keeps the tab named in the URL', () => {
    expect(startDirection('out', 3)).toBe('out');
    expect(startDirection('in', 0)).toBe('in');
  });
  it('opens on 转入 when something waits there, else on 转出', () => {
    expect(startDirection(undefined, 1)).toBe('in');
    expect(startDirection(undefined, 0)).toBe('out');
    expect(startDirection('sideways', 2)).toBe('in');
    expect(startDirection(['in'], 0)).toBe('out');
  });
});

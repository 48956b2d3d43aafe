import { describe, expect, it } from 'vitest';
import { actBody, blankRegister, checkAct, checkRegister, contactBody, contactState, floatingActions, registerBody, statusTag } from './floating';

const TODAY = '2004-12-31';

describe('floating rows', () => {
  it('flags lost, due (失联待确认), late and ok contacts of members away', () => {
    const base = { status: 'away', lost: false, due_lost_contact: false, days_since_contact: 10 };
    expect(contactState(base)).toBe('ok');
    expect(contactState({ ...base, days_since_contact: 120 })).toBe('late');
    expect(contactState({ ...base, due_lost_contact: true, days_since_contact: 190 })).toBe('due');
    expect(contactState({ ...base, lost: true, due_lost_contact: true })).toBe('lost');
    expect(contactState({ ...base, status: 'returned' })).toBe('none');
    expect(statusTag('away')).toBe('warning');
    expect(statusTag('returned')).toBe('success');
    expect(statusTag('cancelled')).toBe('info');
  });

  it('offers 失联 only once due, nothing once settled', () => {
    expect(floatingActions({ status: 'away', lost: false, due_lost_contact: false })).toEqual(['return', 'cancel']);
    expect(floatingActions({ status: 'away', lost: false, due_lost_contact: true })).toEqual(['return', 'lost', 'cancel']);
    expect(floatingActions({ status: 'away', lost: true, due_lost_contact: false })).toEqual(['return', 'cancel']);
    expect(floatingActions({ status: 'returned', lost: false, due_lost_contact: false })).toEqual([]);
  });
});

describe('floating forms', () => {
  it('checks the registration like the server and builds its body', () => {
    const f = blankRegister(TODAY);
    expect(Object.keys(checkRegister(f, TODAY)).sort()).toEqual(['certificate_no', 'destination', 'member_id', 'reason']);
    Object.assign(f, { member_id: 9, version: 4, certificate_no: ' C1 ', destination: ' Nanjing ', reason: 'work', region_code: '3201', until_date: '2004-01-01' });
    expect(checkRegister(f, TODAY)).toEqual({ region_code: 'floating.problems.regionCode', until_date: 'floating.problems.untilBeforeOut' });
    Object.assign(f, { region_code: '320102', until_date: '' });
    expect(checkRegister(f, TODAY)).toEqual({});
    expect(registerBody(f)).toEqual({
      member_id: 9,
      version: 4,
      certificate_no: 'C1',
      out_date: TODAY,
      destination: 'Nanjing',
      region_code: '320102',
      reason: 'work',
      until_date: null,
      receiving_org_id: null,
      note: null,
    });
    expect(checkRegister({ ...f, out_date: '2005-01-01' }, TODAY).out_date).toBe('floating.problems.future');
  });

  it('builds contact and action bodies and checks them', () => {
    expect(contactBody({ date: '2004-12-30', way: 'phone', note: ' ok ' }, 3)).toEqual({ version: 3, way: 'phone', date: '2004-12-30', note: 'ok' });
    const a = { date: '2004-12-30', cause: '', reason: '', note: '' };
    expect(checkAct('lost', a, TODAY, '2004-01-01')).toBe('floating.problems.causeRequired');
    expect(checkAct('cancel', a, TODAY, '2004-01-01')).toBe('floating.problems.cancelReasonRequired');
    expect(checkAct('return', a, TODAY, '2004-12-31')).toBe('floating.problems.beforeOut');
    expect(checkAct('return', a, TODAY, '2004-01-01')).toBeNull();
    expect(actBody('lost', { ...a, cause: 'abroad' }, 2)).toEqual({ version: 2, date: '2004-12-30', note: null, cause: 'abroad', reason: null });
    expect(actBody('cancel', { ...a, reason: 'moved' }, 2).reason).toBe('moved');
  });
});

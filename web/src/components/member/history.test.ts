import { describe, expect, it } from 'vitest';
import { eventDetails, type Lookup } from './history';

const l: Lookup = {
  t: (k, p) => (p ? `${k}${JSON.stringify(p)}` : k),
  code: (table, c) => `${table}:${c}`,
};

describe('member event details', () => {
  it('shows letter, probationary arrival and note', () => {
    expect(eventDetails({ letter_no: 'L-1', note: 'n', probationary: true, from_org: 3 }, l)).toEqual([
      'member.history.letter{"no":"L-1"}',
      'member.history.probationary',
      'member.history.note{"note":"n"}',
    ]);
  });
  it('lists changed fields with labels and code labels', () => {
    const lines = eventDetails(
      { changes: { phone: { from: null, to: '139' }, education: { from: 'college', to: 'bachelor' }, version: { from: 1, to: 2 }, retired: { from: false, to: true } } },
      l,
    );
    expect(lines).toEqual([
      'member.history.change{"field":"member.fields.education","from":"education:college","to":"education:bachelor"}',
      'member.history.change{"field":"member.fields.phone","from":"member.none","to":"139"}',
      'member.history.change{"field":"member.fields.retired","from":"common.no","to":"common.yes"}',
    ]);
  });
  it('ignores empty data', () => {
    expect(eventDetails({}, l)).toEqual([]);
    expect(eventDetails(null, l)).toEqual([]);
  });
});

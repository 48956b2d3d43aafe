import { describe, expect, it } from 'vitest';
import { applicableKinds } from './events';

describe('recordable member events', () => {
  it('offers probation kinds to probationary members only', () => {
    const p = applicableKinds({ active: true, status: 'probationary', floating: false });
    expect(p).toContain('converted');
    expect(p).toContain('probation_extended');
    const f = applicableKinds({ active: true, status: 'full', floating: false });
    expect(f).not.toContain('converted');
    expect(f).toContain('moved');
    expect(f).toContain('died');
  });
  it('follows the floating flag', () => {
    expect(applicableKinds({ active: true, status: 'full', floating: false })).toContain('floating_out');
    const fl = applicableKinds({ active: true, status: 'full', floating: true });
    expect(fl).toContain('floating_back');
    expect(fl).not.toContain('floating_out');
  });
  it('follows the suspended flag', () => {
    const on = applicableKinds({ active: true, status: 'full', floating: false, suspended: false });
    expect(on).toContain('suspended');
    expect(on).not.toContain('restored');
    const off = applicableKinds({ active: true, status: 'full', floating: false, suspended: true });
    expect(off).toContain('restored');
    expect(off).not.toContain('suspended');
  });
  it('offers only a transfer back in to someone off the roster', () => {
    expect(applicableKinds({ active: false, status: null, floating: false })).toEqual(['transferred_in']);
  });
});

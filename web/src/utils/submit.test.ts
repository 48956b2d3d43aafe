import { describe, expect, it } from 'vitest';
import { singleFlight } from './submit';

describe('singleFlight', () => {
  it('drops calls made while the first is pending, then accepts the next one', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const send = singleFlight(async () => {
      calls++;
      await new Promise<void>((r) => (release = r));
    });
    const first = send();
    const second = send(); // Enter + click, or a double click
    const third = send();
    expect(calls).toBe(1);
    release();
    await Promise.all([first, second, third]);
    expect(calls).toBe(1);
    const fourth = send();
    expect(calls).toBe(2);
    release();
    await fourth;
  });

  it('is free again after a failure', async () => {
    let calls = 0;
    const send = singleFlight(async () => {
      calls++;
      throw new Error('refused');
    });
    await expect(send()).rejects.toThrow('refused');
    await expect(send()).rejects.toThrow('refused');
    expect(calls).toBe(2);
  });

  it('the guard is taken before the first await (form validation)', async () => {
    let sent = 0;
    const submit = singleFlight(async () => {
      await Promise.resolve(); // validate()
      sent++;
    });
    await Promise.all([submit(), submit()]);
    expect(sent).toBe(1);
  });
});

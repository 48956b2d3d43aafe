import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { i18n } from '@/i18n';
import StatCard from './StatCard.vue';
import SeverityTag from './SeverityTag.vue';

describe('StatCard', () => {
  it('puts only the plain number in the test-id elements', () => {
    const w = mount(StatCard, {
      props: { title: 'T', value: 18434, testid: 'stat-x', percent: 12.06, percentTestid: 'stat-x-percent', unit: 'u' },
      global: { stubs: { 'el-icon': true } },
    });
    expect(w.get('[data-testid=stat-x]').text()).toBe('18434');
    expect(w.get('[data-testid=stat-x-percent]').text()).toBe('12.06');
  });
});

describe('SeverityTag', () => {
  it('labels and colors each severity', () => {
    for (const [sev, label] of [
      ['overdue', '已逾期'],
      ['warning', '预警'],
      ['info', '提示'],
    ] as const) {
      const w = mount(SeverityTag, { props: { severity: sev }, global: { plugins: [i18n] } });
      expect(w.text()).toBe(label);
      expect(w.classes()).toContain(`sev-${sev}`);
    }
  });
});

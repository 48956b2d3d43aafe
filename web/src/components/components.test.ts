import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { i18n } from '@/i18n';
import StatCard from './StatCard.vue';
import SeverityTag from './SeverityTag.vue';
import FigureLink from './FigureLink.vue';
import ChartCard from './ChartCard.vue';
import type { Figure } from './figure';

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

describe('FigureLink', () => {
  it('is a button with the plain number that emits drill', async () => {
    const w = mount(FigureLink, { props: { count: 2224, testid: 'stat-female' } });
    const b = w.get('[data-testid=stat-female]');
    expect(b.element.tagName).toBe('BUTTON');
    expect(b.text()).toBe('2224');
    await b.trigger('click');
    expect(w.emitted('drill')).toHaveLength(1);
  });
  it('is plain text for zero or when disabled', () => {
    const cases: { count: number; testid: string; disabled?: boolean }[] = [
      { count: 0, testid: 'x' },
      { count: 5, testid: 'x', disabled: true },
    ];
    for (const props of cases) {
      const w = mount(FigureLink, { props });
      expect(w.get('[data-testid=x]').element.tagName).toBe('SPAN');
    }
  });
});

describe('ChartCard', () => {
  const figures: Figure[] = [
    { key: 'male', label: 'M', count: 7, testid: 'fig-m', filter: { not: 'female' } },
    { key: 'female', label: 'F', count: 3, testid: 'fig-f', filter: 'female' },
    { key: 'orgs', label: 'O', count: 4, testid: 'fig-o' },
  ];
  const mountCard = () =>
    mount(ChartCard, {
      props: { title: 'T', option: {}, figures },
      global: { stubs: { EChart: { name: 'EChart', template: '<div />', emits: ['item-click'] }, 'el-card': { template: '<div><slot name="header" /><slot /></div>' } } },
    });

  it('opens member figures from the numbers and from the chart', async () => {
    const w = mountCard();
    await w.get('[data-testid=fig-f]').trigger('click');
    w.findComponent({ name: 'EChart' }).vm.$emit('item-click', { name: 'M', dataIndex: 0, seriesIndex: 0 });
    // Org counts have no predicate: neither the number nor the bar opens anything.
    expect(w.get('[data-testid=fig-o]').element.tagName).toBe('SPAN');
    w.findComponent({ name: 'EChart' }).vm.$emit('item-click', { name: 'O', dataIndex: 2, seriesIndex: 0 });
    const keys = (w.emitted('drill') ?? []).map((e) => (e[0] as Figure).key);
    expect(keys).toEqual(['female', 'male']);
  });
});

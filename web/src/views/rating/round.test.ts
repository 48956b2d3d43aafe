import { describe, expect, it } from 'vitest';
import type { RatingView, RoundView } from '@/api/types';
import {
  approvable,
  clampScore,
  filterRounds,
  formOf,
  latestPublishedYear,
  maxTotal,
  nextRoundYear,
  orgStatus,
  proposalNeedsReason,
  scoreBody,
  statusTag,
  tierFor,
  totalOf,
  unscored,
  type RatingScheme,
} from './round';

const scheme: RatingScheme = {
  code: 'test.five',
  name: 'five',
  from_year: 2011,
  kind: 'scored',
  source: 'seed',
  dimensions: [
    { name: 'A', indicators: [{ code: '1.1', text: 'a', max_points: 40 }, { code: '1.2', text: 'b', max_points: 10 }] },
    { name: 'B', indicators: [{ code: '2.1', text: 'c', max_points: 50, evidence: 'e' }] },
  ],
  tiers: [
    { name: 'T1', min_score: 90 },
    { name: 'T2', min_score: 80 },
    { name: 'T3', min_score: 65 },
    { name: 'T4', min_score: 55 },
    { name: 'T5', min_score: 0 },
  ],
  weak_tiers: ['T4', 'T5'],
};

function round(p: Partial<RoundView>): RoundView {
  return { id: 1, org_id: 1, org_name: 'c', year: 2011, scheme: 'test.five', scheme_name: 'five', status: 'open', version: 1, ...p };
}

describe('scheme arithmetic', () => {
  it('sums the maximum points', () => {
    expect(maxTotal(scheme)).toBe(100);
  });

  it('keeps a score within 0 … max, whole points', () => {
    expect(clampScore(12, 10)).toBe(10);
    expect(clampScore(-3, 10)).toBe(0);
    expect(clampScore(4.6, 10)).toBe(5);
    expect(clampScore('7', 10)).toBe(7);
    expect(clampScore('x', 10)).toBe(0);
    expect(clampScore(null, 10)).toBe(0);
  });

  it('totals bounded points and ignores codes outside the scheme', () => {
    expect(totalOf(scheme, {})).toBe(0);
    expect(totalOf(scheme, { '1.1': 30, '1.2': 10, '2.1': 40 })).toBe(80);
    expect(totalOf(scheme, { '1.1': 99, '9.9': 50 })).toBe(40);
    expect(totalOf(scheme, { '1.1': null, '2.1': undefined })).toBe(0);
  });

  it('derives the tier with inclusive thresholds', () => {
    expect(tierFor(scheme, 100)).toBe('T1');
    expect(tierFor(scheme, 90)).toBe('T1');
    expect(tierFor(scheme, 89)).toBe('T2');
    expect(tierFor(scheme, 80)).toBe('T2');
    expect(tierFor(scheme, 65)).toBe('T3');
    expect(tierFor(scheme, 64)).toBe('T4');
    expect(tierFor(scheme, 55)).toBe('T4');
    expect(tierFor(scheme, 54)).toBe('T5');
    expect(tierFor(scheme, 0)).toBe('T5');
  });

  it('lists the indicators without a number', () => {
    expect(unscored(scheme, { '1.1': 0, '2.1': 3 })).toEqual(['1.2']);
  });
});

describe('score form', () => {
  it('needs a reason only for a tier other than the score gives', () => {
    const f = { scores: { '1.1': 40, '1.2': 10, '2.1': 40 }, comments: {}, evidence: {}, proposedTier: '', reason: '' };
    expect(proposalNeedsReason(scheme, f)).toBe(false);
    expect(proposalNeedsReason(scheme, { ...f, proposedTier: 'T1' })).toBe(false);
    expect(proposalNeedsReason(scheme, { ...f, proposedTier: 'T2' })).toBe(true);
  });

  it('builds the PUT body: every indicator bounded, trimmed comments, the proposal with its reason', () => {
    const body = scoreBody(
      scheme,
      { scores: { '1.1': 45, '2.1': 20 }, comments: { '1.1': ' ok ', '1.2': '  ' }, evidence: { '2.1': ' 台账 ', '1.1': ' ' }, proposedTier: 'T3', reason: ' 换届 ' },
      3,
    );
    expect(body).toEqual({
      version: 3,
      scores: { '1.1': 40, '1.2': 0, '2.1': 20 },
      comments: { '1.1': 'ok' },
      evidence: { '2.1': '台账' },
      proposed_tier: 'T3',
      reason: '换届',
    });
    // No version on the first score; a proposal equal to the score's tier is dropped.
    const first = scoreBody(scheme, { scores: { '1.1': 40, '1.2': 10, '2.1': 40 }, comments: {}, evidence: {}, proposedTier: 'T1', reason: 'x' }, null);
    expect(first).toEqual({ scores: { '1.1': 40, '1.2': 10, '2.1': 40 }, comments: {}, evidence: {} });
  });

  it('starts from the saved rating', () => {
    const r = { scores: { '1.1': 3 }, comments: { '1.1': 'c' }, proposed_tier: 'T2', proposal_reason: '洪灾' } as unknown as RatingView;
    expect(formOf(r)).toEqual({ scores: { '1.1': 3 }, comments: { '1.1': 'c' }, evidence: {}, proposedTier: 'T2', reason: '洪灾' });
    expect(formOf(null)).toEqual({ scores: {}, comments: {}, evidence: {}, proposedTier: '', reason: '' });
  });
});

describe('statuses', () => {
  it('labels an org by its rating and the round', () => {
    expect(orgStatus('pending', 'open')).toBe('pending');
    expect(orgStatus('scored', 'open')).toBe('scored');
    expect(orgStatus('approved', 'open')).toBe('approved');
    expect(orgStatus('approved', 'published')).toBe('published');
    expect(statusTag('pending')).toBe('info');
    expect(statusTag('published')).toBe('primary');
  });

  it('offers only scored rows for bulk approval', () => {
    const rating = {} as RatingView;
    const rows = [
      { org_id: 1, status: 'pending', rating: null },
      { org_id: 2, status: 'scored', rating },
      { org_id: 3, status: 'approved', rating },
    ];
    expect(approvable(rows).map((r) => r.org_id)).toEqual([2]);
  });
});

describe('rounds', () => {
  const rows = [
    round({ id: 1, year: 2011, status: 'published' }),
    round({ id: 2, year: 2012, status: 'published' }),
    round({ id: 3, year: 2013, status: 'open', scheme: 'other' }),
  ];

  it('filters by year, scheme and status', () => {
    expect(filterRounds(rows, {}).map((r) => r.id)).toEqual([1, 2, 3]);
    expect(filterRounds(rows, { year: 2012 }).map((r) => r.id)).toEqual([2]);
    expect(filterRounds(rows, { scheme: 'other' }).map((r) => r.id)).toEqual([3]);
    expect(filterRounds(rows, { status: 'published' }).map((r) => r.id)).toEqual([1, 2]);
  });

  it('finds the latest published year', () => {
    expect(latestPublishedYear(rows)).toBe(2012);
    expect(latestPublishedYear([round({ status: 'open' })])).toBeNull();
    expect(latestPublishedYear([])).toBeNull();
  });

  it('proposes the year after the latest round', () => {
    expect(nextRoundYear(rows, '2012-12-31')).toBe(2014);
    expect(nextRoundYear(rows.slice(0, 2), '2012-12-31')).toBe(2013);
    expect(nextRoundYear([], '2004-12-31')).toBe(2004);
  });
});

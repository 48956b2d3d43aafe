import { describe, expect, it } from 'vitest';
import type { RatingView, RoundView } from '@/api/types';
import {
  approvable,
  clampScore,
  filterRounds,
  formOf,
  defaultPublishFrom,
  earliestPublication,
  latestCompleteYear,
  latestPublishedYear,
  maxTotal,
  newerPartial,
  nextRoundYear,
  reasonOk,
  unitOf,
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
  return { id: 1, org_id: 1, org_name: 'c', year: 2011, scheme: 'test.five', scheme_name: 'five', status: 'open', version: 1, withdrawals: 0, ...p };
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
    // Today two years on: the year still to rate, not today's year.
    expect(nextRoundYear(rows.slice(0, 2), '2014-01-31')).toBe(2013);
  });
});

describe('publication', () => {
  const pub = (kind: 'full' | 'partial' | 'legacy', approved: number, applicable: number) => ({
    id: 1,
    kind,
    approved,
    applicable,
    notice_from: '2013-01-10',
    notice_until: '2013-01-17',
    published_at: '2013-01-10T08:00:00',
  });
  const rows = [
    round({ id: 1, year: 2011, status: 'published', publication: pub('full', 3, 3) }),
    round({ id: 2, year: 2012, status: 'published', publication: pub('full', 3, 3) }),
    round({ id: 3, year: 2013, status: 'published', publication: pub('partial', 2, 3) }),
  ];

  it('takes the latest round published in full as the latest complete year', () => {
    expect(latestCompleteYear(rows)).toBe(2012);
    // The partial one newer than it is named.
    expect(newerPartial(rows, 2012)?.id).toBe(3);
    // 2012 withdrawn (back to open, no publication): falls back to 2011.
    const withdrawn = [rows[0]!, round({ id: 2, year: 2012, status: 'open', withdrawals: 1 }), rows[2]!];
    expect(latestCompleteYear(withdrawn)).toBe(2011);
    // Legacy and partial publications never count; nothing complete: null.
    expect(latestCompleteYear([round({ status: 'published', publication: pub('legacy', 1, 1) })])).toBeNull();
    expect(latestCompleteYear([rows[2]!])).toBeNull();
    expect(newerPartial(rows.slice(0, 2), 2012)).toBeNull();
    expect(newerPartial([rows[2]!], null)?.id).toBe(3);
  });

  it('publishes from 1 January after the rated year, today by default', () => {
    expect(earliestPublication(2013)).toBe('2014-01-01');
    expect(defaultPublishFrom(2013, '2014-01-31')).toBe('2014-01-31');
    expect(defaultPublishFrom(2013, '2014-01-01')).toBe('2014-01-01');
    // Still in the rated year: the first possible day (the server refuses it until then).
    expect(defaultPublishFrom(2013, '2013-12-31')).toBe('2014-01-01');
  });

  it('asks for ten characters of reason, trimmed', () => {
    expect(reasonOk('一二三四五六七八九')).toBe(false);
    expect(reasonOk('  一二三四五六七八九  ')).toBe(false);
    expect(reasonOk('一二三四五六七八九十')).toBe(true);
  });

  it('counts villages for a rural scheme, orgs otherwise', () => {
    expect(unitOf({ applies_to: { fields: ['rural'], kinds: ['branch'] } })).toBe('village');
    expect(unitOf({ applies_to: { fields: [], kinds: ['branch'] } })).toBe('org');
    expect(unitOf(null)).toBe('org');
  });
});

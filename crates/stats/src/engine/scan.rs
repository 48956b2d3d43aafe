//! The scans: per-task accumulators for a subtree report, per-org sums for the rollup.

use std::ops::Range;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use super::dates::{age_cutoffs, band_of, compact_as_of, compact_cutoffs, day};
use super::tree::{unpack_class, NO_PARENT};
use super::{Engine, Row, TASK_ROWS};
use crate::summary::{Counts, FIELDS};

/// What a scan needs to know about the as-of date, computed once per report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Query {
    /// The day, exact.
    pub d: i32,
    /// The day for compact columns (`None`: before the epoch, no compact row counts).
    pub d16: Option<u16>,
    /// Age-band cut-offs, exact.
    pub cut: [i32; 7],
    /// Age-band cut-offs for compact births.
    pub cut16: [u16; 7],
}

impl Query {
    pub fn new(as_of: NaiveDate) -> Query {
        let d = day(as_of);
        let cut = age_cutoffs(as_of);
        Query {
            d,
            d16: compact_as_of(d),
            cut,
            cut16: compact_cutoffs(&cut),
        }
    }
}

/// Sums over the rows on the roster: the headline figures are all marginals (no report
/// figure crosses two of them), so they are plain sums that vectorize, not histograms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sums {
    /// On the roster.
    pub n: u32,
    /// Probationary.
    pub prob: u32,
    /// Women.
    pub female: u32,
    /// Minorities.
    pub minority: u32,
    /// At least the age of [`super::dates::BAND_AGES`]`[k]` (band = how many reached).
    pub ge: [u32; 7],
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.n += o.n;
        self.prob += o.prob;
        self.female += o.female;
        self.minority += o.minority;
        for (x, y) in self.ge.iter_mut().zip(o.ge) {
            *x += y;
        }
    }

    fn sub(&mut self, o: &Sums) {
        self.n -= o.n;
        self.prob -= o.prob;
        self.female -= o.female;
        self.minority -= o.minority;
        for (x, y) in self.ge.iter_mut().zip(o.ge) {
            *x -= y;
        }
    }

    /// The eight bands from the cumulative counts.
    pub fn bands(&self) -> [u32; 8] {
        let mut b = [0u32; 8];
        b[0] = self.n - self.ge[0];
        for (k, pair) in self.ge.windows(2).enumerate() {
            b[k + 1] = pair[0] - pair[1];
        }
        b[7] = self.ge[6];
        b
    }
}

/// Rows per block of the two-pass kernel: the on-roster flags of a block stay in L1, and
/// per-block sums fit the `u16` lanes the first pass accumulates in.
const BLOCK: usize = 2048;

/// Pass one over a block of compact rows (at most [`BLOCK`]): the sums, and each row's
/// on-roster flag in `w`. Straight-line arithmetic over the columns accumulating in `u16`
/// (eight or sixteen lanes per vector instruction), so the compiler vectorizes it.
#[inline]
#[allow(clippy::too_many_arguments)]
fn block_sums(
    from: &[u16],
    to: &[u16],
    ff: &[u16],
    birth: &[u16],
    attrs: &[u16],
    d: u16,
    t: &[u16; 7],
    w: &mut [u8],
) -> Sums {
    let n = from.len().min(BLOCK);
    let (from, to, ff, birth, attrs, w) = (
        &from[..n],
        &to[..n],
        &ff[..n],
        &birth[..n],
        &attrs[..n],
        &mut w[..n],
    );
    let (mut alive_n, mut prob, mut female, mut minority) = (0u16, 0u16, 0u16, 0u16);
    let mut ge = [0u16; 7];
    for j in 0..n {
        let alive = u16::from(from[j] <= d) & u16::from(d < to[j]);
        w[j] = alive as u8;
        let b = birth[j];
        let a = attrs[j];
        alive_n += alive;
        prob += alive & u16::from(d < ff[j]);
        female += alive & ((a >> 12) & 1);
        minority += alive & ((a >> 13) & 1);
        ge[0] += alive & u16::from(b < t[0]);
        ge[1] += alive & u16::from(b < t[1]);
        ge[2] += alive & u16::from(b < t[2]);
        ge[3] += alive & u16::from(b < t[3]);
        ge[4] += alive & u16::from(b < t[4]);
        ge[5] += alive & u16::from(b < t[5]);
        ge[6] += alive & u16::from(b < t[6]);
    }
    Sums {
        n: u32::from(alive_n),
        prob: u32::from(prob),
        female: u32::from(female),
        minority: u32::from(minority),
        ge: ge.map(u32::from),
    }
}

/// A task's accumulators (16 KB of histogram, stays in L1).
#[derive(Debug, Clone)]
pub(crate) struct Hist {
    n: u64,
    prob: u64,
    female: u64,
    minority: u64,
    ge: [u64; 7],
    /// The low 12 bits of `attrs`: education | occupation << 3 | era << 6 | post << 9.
    /// The only histogram: one increment per row instead of four.
    bc: Box<[u32; 4096]>,
    /// Alive orgs: kind | field << 3.
    orgs: [u64; 128],
    /// Alive orgs by setup mode.
    setups: [u64; 16],
    /// Members by field of their org.
    field_members: [u64; 16],
}

impl Default for Hist {
    fn default() -> Self {
        Hist {
            n: 0,
            prob: 0,
            female: 0,
            minority: 0,
            ge: [0; 7],
            bc: Box::new([0; 4096]),
            orgs: [0; 128],
            setups: [0; 16],
            field_members: [0; 16],
        }
    }
}

impl Hist {
    fn add_sums(&mut self, s: &Sums) {
        self.n += u64::from(s.n);
        self.prob += u64::from(s.prob);
        self.female += u64::from(s.female);
        self.minority += u64::from(s.minority);
        for (x, y) in self.ge.iter_mut().zip(s.ge) {
            *x += u64::from(y);
        }
    }

    fn merge(mut self, o: Hist) -> Hist {
        self.n += o.n;
        self.prob += o.prob;
        self.female += o.female;
        self.minority += o.minority;
        for (x, y) in self.ge.iter_mut().zip(o.ge) {
            *x += y;
        }
        for (x, y) in self.bc.iter_mut().zip(o.bc.iter()) {
            *x += *y;
        }
        for (x, y) in self.orgs.iter_mut().zip(o.orgs) {
            *x += y;
        }
        for (x, y) in self.setups.iter_mut().zip(o.setups) {
            *x += y;
        }
        for (x, y) in self.field_members.iter_mut().zip(o.field_members) {
            *x += y;
        }
        self
    }

    /// Adds one wide (side-store) row that is on the roster.
    fn add_row(&mut self, prob: bool, band: usize, attrs: u16) {
        self.n += 1;
        self.prob += u64::from(prob);
        self.female += u64::from((attrs >> 12) & 1);
        self.minority += u64::from((attrs >> 13) & 1);
        for g in self.ge.iter_mut().take(band) {
            *g += 1;
        }
        self.bc[usize::from(attrs) & 0xFFF] += 1;
    }

    /// The marginals every report figure is made of.
    fn into_counts(self) -> Counts {
        let mut c = Counts::default();
        let i = |x: u64| x as i64;
        c.total = i(self.n);
        c.probationary = i(self.prob);
        c.female = i(self.female);
        c.minority = i(self.minority);
        c.age_bands[0] = i(self.n - self.ge[0]);
        for (k, pair) in self.ge.windows(2).enumerate() {
            c.age_bands[k + 1] = i(pair[0] - pair[1]);
        }
        c.age_bands[7] = i(self.ge[6]);
        for (i, n) in self.bc.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let n = i64::from(*n);
            if let Some(e) = c.education.get_mut(i & 7) {
                *e += n;
            }
            if let Some(o) = c.occupation.get_mut((i >> 3) & 7) {
                *o += n;
            }
            if let Some(e) = ((i >> 6) & 7)
                .checked_sub(1)
                .and_then(|e| c.join_era.get_mut(e))
            {
                *e += n;
            }
            if let Some(p) = ((i >> 9) & 7)
                .checked_sub(1)
                .and_then(|p| c.village_posts.get_mut(p))
            {
                *p += n;
            }
        }
        for (i, n) in self.orgs.iter().enumerate() {
            if let Some(cell) = c.orgs.get_mut(i & 7).and_then(|r| r.get_mut(i >> 3)) {
                *cell += *n as i64;
            }
        }
        for (x, n) in c.setup_modes.iter_mut().zip(self.setups) {
            *x += n as i64;
        }
        for (x, n) in c.field_members.iter_mut().zip(self.field_members) {
            *x += n as i64;
        }
        c
    }
}

/// Figures of one org's subtree on a date, from [`Engine::rollup`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OrgFigures {
    /// Org id.
    pub org_id: i64,
    /// Members on the roster in the subtree.
    pub members: u32,
    /// Probationary members.
    pub probationary: u32,
    /// Women.
    pub female: u32,
    /// Minorities.
    pub minority: u32,
    /// The eight national age bands.
    pub age_bands: [u32; 8],
    /// Basic-level orgs alive in the subtree (committees, general branches, branches).
    pub basic_orgs: u32,
}

impl OrgFigures {
    fn add(&mut self, o: &OrgFigures) {
        self.members += o.members;
        self.probationary += o.probationary;
        self.female += o.female;
        self.minority += o.minority;
        for (x, y) in self.age_bands.iter_mut().zip(o.age_bands) {
            *x += y;
        }
        self.basic_orgs += o.basic_orgs;
    }
}

/// Kind indexes of committees, general branches and branches (the basic-level orgs).
fn is_basic(kind: usize) -> bool {
    use jiceng_domain::org::OrgKind;
    [OrgKind::Committee, OrgKind::GeneralBranch, OrgKind::Branch]
        .iter()
        .any(|k| crate::summary::code_index(*k) == kind)
}

impl Engine {
    /// Splits an org range into tasks of about [`TASK_ROWS`] rows (at org boundaries).
    pub(crate) fn split(&self, orgs: Range<usize>) -> Vec<Range<usize>> {
        let r0 = self.offsets[orgs.start] as usize;
        let r1 = self.offsets[orgs.end] as usize;
        let tasks = ((r1 - r0) / TASK_ROWS).clamp(1, 1 << 16);
        let mut out = Vec::with_capacity(tasks);
        let mut start = orgs.start;
        for j in 1..tasks {
            let target = r0 + (r1 - r0) * j / tasks;
            let cut = orgs.start
                + self.offsets[orgs.start..orgs.end].partition_point(|o| (*o as usize) < target);
            if cut > start {
                out.push(start..cut);
                start = cut;
            }
        }
        out.push(start..orgs.end);
        out
    }

    /// Counts of a subtree (a position range) on a date.
    pub(crate) fn counts_at(&self, orgs: Range<usize>, as_of: NaiveDate) -> Counts {
        let q = Query::new(as_of);
        let tasks = self.split(orgs.clone());
        let hist = if tasks.len() == 1 {
            let mut h = Hist::default();
            self.scan(orgs.clone(), &q, &mut h);
            h
        } else {
            // `fold` keeps one accumulator per piece rayon splits the work into (a few
            // per thread), not one per task, so tasks can be small enough to balance.
            tasks
                .into_par_iter()
                .fold(Hist::default, |mut h, r| {
                    self.scan(r, &q, &mut h);
                    h
                })
                .reduce(Hist::default, Hist::merge)
        };
        let mut hist = hist;
        self.scan_side(orgs, &q, &mut hist);
        hist.into_counts()
    }

    /// Scans the orgs in `orgs` (and their column rows) into `h`.
    ///
    /// Rows are processed in blocks of [`BLOCK`] regardless of org boundaries, so the
    /// vectorized pass runs over long stretches (orgs average 20 rows); then the orgs
    /// overlapping the block take their members from the block's on-roster flags, and an
    /// org not alive on the date (rare) has its rows taken back out of the block.
    fn scan(&self, orgs: Range<usize>, q: &Query, h: &mut Hist) {
        for p in orgs.clone() {
            if self.tree.alive(p, q.d) {
                let (kind, field, setup) = unpack_class(self.tree.class[p]);
                h.orgs[(kind | (field << 3)) & 127] += 1;
                h.setups[setup & 15] += 1;
            }
        }
        let Some(d) = q.d16 else {
            return;
        };
        let t = &q.cut16;
        let off = &self.offsets;
        let (r0, r1) = (off[orgs.start] as usize, off[orgs.end] as usize);
        let mut w = [0u8; BLOCK];
        let mut scratch = [0u8; BLOCK];
        let mut p = orgs.start;
        let mut start = r0;
        while start < r1 {
            let end = (start + BLOCK).min(r1);
            let cols = |a: usize, b: usize| {
                (
                    &self.from[a..b],
                    &self.to[a..b],
                    &self.full_from[a..b],
                    &self.birth[a..b],
                    &self.attrs[a..b],
                )
            };
            let (from, to, ff, birth, attrs) = cols(start, end);
            let mut s = block_sums(from, to, ff, birth, attrs, d, t, &mut w);
            while p < orgs.end && (off[p] as usize) < end {
                let a = (off[p] as usize).max(start);
                let b = (off[p + 1] as usize).min(end);
                if a < b {
                    let flags = &mut w[a - start..b - start];
                    if self.tree.alive(p, q.d) {
                        let n: u64 = flags.iter().map(|x| u64::from(*x)).sum();
                        h.field_members[self.tree.field(p) & 15] += n;
                    } else {
                        let (f, to, ff, bi, at) = cols(a, b);
                        s.sub(&block_sums(f, to, ff, bi, at, d, t, &mut scratch));
                        flags.fill(0);
                    }
                }
                if (off[p + 1] as usize) <= end {
                    p += 1;
                } else {
                    break;
                }
            }
            for (a, wj) in attrs.iter().zip(&w) {
                h.bc[usize::from(*a) & 0xFFF] += u32::from(*wj);
            }
            h.add_sums(&s);
            start = end;
        }
    }

    /// One org's own rows as sums (the rollup's kernel: pass one only). `w` is scratch
    /// of [`BLOCK`] bytes, the caller's so that it is not cleared for every org.
    fn org_sums(&self, p: usize, d: u16, t: &[u16; 7], w: &mut [u8]) -> Sums {
        let mut total = Sums::default();
        let mut start = self.offsets[p] as usize;
        let end_all = self.offsets[p + 1] as usize;
        while start < end_all {
            let end = (start + BLOCK).min(end_all);
            let s = block_sums(
                &self.from[start..end],
                &self.to[start..end],
                &self.full_from[start..end],
                &self.birth[start..end],
                &self.attrs[start..end],
                d,
                t,
                w,
            );
            total.add(&s);
            start = end;
        }
        total
    }

    /// Side rows of orgs in `orgs` (sorted by org: one binary search, then in order).
    pub(crate) fn side_rows(&self, orgs: Range<usize>) -> &[Row] {
        let lo = self.side.partition_point(|r| (r.org as usize) < orgs.start);
        let hi = self.side.partition_point(|r| (r.org as usize) < orgs.end);
        &self.side[lo..hi]
    }

    fn scan_side(&self, orgs: Range<usize>, q: &Query, h: &mut Hist) {
        for r in self.side_rows(orgs) {
            let p = r.org as usize;
            if !(r.from <= q.d && q.d < r.to && self.tree.alive(p, q.d)) {
                continue;
            }
            h.add_row(q.d < r.full_from, band_of(r.birth, &q.cut), r.attrs);
            h.field_members[self.tree.field(p) & 15] += 1;
        }
    }

    /// One org's own figures (its rows only, not its children's).
    fn own_figures(&self, p: usize, q: &Query, w: &mut [u8]) -> OrgFigures {
        let mut f = OrgFigures::default();
        if !self.tree.alive(p, q.d) {
            return f;
        }
        let (kind, _, _) = unpack_class(self.tree.class[p]);
        f.basic_orgs = u32::from(is_basic(kind));
        let Some(d) = q.d16 else {
            return f;
        };
        let s = self.org_sums(p, d, &q.cut16, w);
        f.members = s.n;
        f.probationary = s.prob;
        f.female = s.female;
        f.minority = s.minority;
        f.age_bands = s.bands();
        f
    }

    /// Every org's subtree figures on `as_of`, in depth-first order: one parallel pass
    /// over all rows for each org's own figures, then each org added into its parent from
    /// the last position to the first (a child always comes after its parent).
    pub fn rollup(&self, as_of: NaiveDate) -> Vec<OrgFigures> {
        let q = Query::new(as_of);
        let n = self.tree.len();
        let mut out = vec![OrgFigures::default(); n];
        let mut parts = Vec::new();
        let mut rest: &mut [OrgFigures] = &mut out;
        for r in self.split(0..n) {
            let (a, b) = std::mem::take(&mut rest).split_at_mut(r.len());
            parts.push((r, a));
            rest = b;
        }
        parts.into_par_iter().for_each(|(r, slice)| {
            let mut w = vec![0u8; BLOCK];
            for (p, f) in r.zip(slice.iter_mut()) {
                *f = self.own_figures(p, &q, &mut w);
            }
        });
        for r in self.side_rows(0..n) {
            let p = r.org as usize;
            if !(r.from <= q.d && q.d < r.to && self.tree.alive(p, q.d)) {
                continue;
            }
            let f = &mut out[p];
            f.members += 1;
            f.probationary += u32::from(q.d < r.full_from);
            f.female += u32::from((r.attrs >> 12) & 1);
            f.minority += u32::from((r.attrs >> 13) & 1);
            f.age_bands[band_of(r.birth, &q.cut)] += 1;
        }
        for p in (1..n).rev() {
            let parent = self.tree.parent[p];
            if parent != NO_PARENT {
                let (left, right) = out.split_at_mut(p);
                left[parent as usize].add(&right[0]);
            }
        }
        for (f, id) in out.iter_mut().zip(&self.tree.ids) {
            f.org_id = *id;
        }
        out
    }
}

/// Members by field in counts are indexed by field table position; the histogram keeps 16.
const _: () = assert!(FIELDS <= 16);

//! The scans: per-task histograms for a subtree report, per-org figures for the rollup.

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

/// Interleaved copies of each histogram: consecutive rows mostly hit the same bucket, and
/// spreading them over four copies breaks the store-to-load chain on that one counter.
const COPIES: usize = 4;

/// A task's histograms (about 4 KB, stays in L1).
#[derive(Debug, Clone)]
pub(crate) struct Hist {
    /// probationary | band << 1 | female << 4 | minority << 5.
    a: [[u32; 64]; COPIES],
    /// education | occupation << 3 (the low 6 bits of `attrs`).
    b: [[u32; 64]; COPIES],
    /// era | village post << 3 (bits 6–11 of `attrs`).
    c: [[u32; 64]; COPIES],
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
            a: [[0; 64]; COPIES],
            b: [[0; 64]; COPIES],
            c: [[0; 64]; COPIES],
            orgs: [0; 128],
            setups: [0; 16],
            field_members: [0; 16],
        }
    }
}

impl Hist {
    fn merge(mut self, o: Hist) -> Hist {
        for k in 0..COPIES {
            for i in 0..64 {
                self.a[k][i] += o.a[k][i];
                self.b[k][i] += o.b[k][i];
                self.c[k][i] += o.c[k][i];
            }
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
        let a = usize::from(attrs);
        self.a[0][usize::from(prob) | (band << 1) | (((a >> 12) & 3) << 4)] += 1;
        self.b[0][a & 63] += 1;
        self.c[0][(a >> 6) & 63] += 1;
    }

    /// The marginals every report figure is made of.
    fn into_counts(self) -> Counts {
        let mut c = Counts::default();
        for k in 0..COPIES {
            for (i, n) in self.a[k].iter().enumerate() {
                let n = i64::from(*n);
                c.total += n;
                if i & 1 == 1 {
                    c.probationary += n;
                }
                c.age_bands[(i >> 1) & 7] += n;
                if (i >> 4) & 1 == 1 {
                    c.female += n;
                }
                if (i >> 5) & 1 == 1 {
                    c.minority += n;
                }
            }
            for (i, n) in self.b[k].iter().enumerate() {
                let n = i64::from(*n);
                if let Some(e) = c.education.get_mut(i & 7) {
                    *e += n;
                }
                if let Some(o) = c.occupation.get_mut(i >> 3) {
                    *o += n;
                }
            }
            for (i, n) in self.c[k].iter().enumerate() {
                let n = i64::from(*n);
                if let Some(e) = (i & 7).checked_sub(1).and_then(|e| c.join_era.get_mut(e)) {
                    *e += n;
                }
                if let Some(p) = (i >> 3)
                    .checked_sub(1)
                    .and_then(|p| c.village_posts.get_mut(p))
                {
                    *p += n;
                }
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
            tasks
                .into_par_iter()
                .map(|r| {
                    let mut h = Hist::default();
                    self.scan(r, &q, &mut h);
                    h
                })
                .reduce(Hist::default, Hist::merge)
        };
        let mut hist = hist;
        self.scan_side(orgs, &q, &mut hist);
        hist.into_counts()
    }

    /// Scans the columns of the orgs in `orgs` into `h`.
    fn scan(&self, orgs: Range<usize>, q: &Query, h: &mut Hist) {
        for p in orgs {
            if !self.tree.alive(p, q.d) {
                continue;
            }
            let (kind, field, setup) = unpack_class(self.tree.class[p]);
            h.orgs[(kind | (field << 3)) & 127] += 1;
            h.setups[setup & 15] += 1;
            let rows = self.offsets[p] as usize..self.offsets[p + 1] as usize;
            if let (false, Some(d16)) = (rows.is_empty(), q.d16) {
                let n = self.scan_rows(rows, d16, &q.cut16, h);
                h.field_members[field & 15] += u64::from(n);
            }
        }
    }

    /// The hot loop: one org's rows into the histograms; returns how many were on the
    /// roster. Branch-free: every row adds 0 or 1 to its buckets.
    #[inline]
    fn scan_rows(&self, rows: Range<usize>, d: u16, t: &[u16; 7], h: &mut Hist) -> u32 {
        let from = &self.from[rows.clone()];
        let n = from.len();
        let to = &self.to[rows.clone()][..n];
        let ff = &self.full_from[rows.clone()][..n];
        let birth = &self.birth[rows.clone()][..n];
        let attrs = &self.attrs[rows][..n];
        let mut alive_n = 0u32;
        for i in 0..n {
            let w = u32::from((from[i] <= d) & (d < to[i]));
            let prob = usize::from(d < ff[i]);
            let b = birth[i];
            let band = usize::from(b < t[0])
                + usize::from(b < t[1])
                + usize::from(b < t[2])
                + usize::from(b < t[3])
                + usize::from(b < t[4])
                + usize::from(b < t[5])
                + usize::from(b < t[6]);
            let a = usize::from(attrs[i]);
            let k = i & (COPIES - 1);
            h.a[k][(prob | (band << 1) | (((a >> 12) & 3) << 4)) & 63] += w;
            h.b[k][a & 63] += w;
            h.c[k][(a >> 6) & 63] += w;
            alive_n += w;
        }
        alive_n
    }

    /// Side rows of orgs in `orgs` (sorted by org: one binary search, then in order).
    fn side_rows(&self, orgs: Range<usize>) -> &[Row] {
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
    fn own_figures(&self, p: usize, q: &Query) -> OrgFigures {
        let mut f = OrgFigures::default();
        if !self.tree.alive(p, q.d) {
            return f;
        }
        let (kind, _, _) = unpack_class(self.tree.class[p]);
        f.basic_orgs = u32::from(is_basic(kind));
        let Some(d) = q.d16 else {
            return f;
        };
        let rows = self.offsets[p] as usize..self.offsets[p + 1] as usize;
        let from = &self.from[rows.clone()];
        let n = from.len();
        let to = &self.to[rows.clone()][..n];
        let ff = &self.full_from[rows.clone()][..n];
        let birth = &self.birth[rows.clone()][..n];
        let attrs = &self.attrs[rows][..n];
        let t = &q.cut16;
        for i in 0..n {
            let w = u32::from((from[i] <= d) & (d < to[i]));
            let b = birth[i];
            let band = usize::from(b < t[0])
                + usize::from(b < t[1])
                + usize::from(b < t[2])
                + usize::from(b < t[3])
                + usize::from(b < t[4])
                + usize::from(b < t[5])
                + usize::from(b < t[6]);
            let a = attrs[i];
            f.members += w;
            f.probationary += w & u32::from(d < ff[i]);
            f.female += w & u32::from((a >> 12) & 1);
            f.minority += w & u32::from((a >> 13) & 1);
            f.age_bands[band & 7] += w;
        }
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
            for (p, f) in r.zip(slice.iter_mut()) {
                *f = self.own_figures(p, &q);
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

//! The in-memory statistics engine: a compact columnar copy of member history.
//!
//! # Layout
//!
//! One row per *member interval* (a stretch of time during which a member counts on one
//! org's roster, see [`history`]). Rows are grouped by the depth-first position of their
//! org, so any subtree `[pos, end)` of the [`OrgTree`] is one contiguous row range, and
//! within an org they are sorted by member id (which lets the write path find a member's
//! rows by binary search).
//!
//! Instead of an org column (4 bytes per row) the rows carry a CSR offsets array: rows of
//! org `p` are `offsets[p]..offsets[p + 1]` (4 bytes per org). A scan walks the subtree
//! org by org, which it has to do anyway to count orgs and to attribute members to the
//! field of their org, and skips every row of an org that was not alive on the date.
//!
//! Per row (struct of arrays):
//!
//! | column      | type | meaning                                                    |
//! |-------------|------|------------------------------------------------------------|
//! | `from`      | u16  | first day on the roster (days since 1900-01-01)            |
//! | `to`        | u16  | first day off it, exclusive; `u16::MAX` = open             |
//! | `full_from` | u16  | probationary on `d` iff `d < full_from` (`MAX` = never full)|
//! | `birth`     | u16  | birth day (age band for the as-of date: 7 comparisons)     |
//! | `attrs`     | u16  | education 3 b, occupation 3 b, join era 3 b, village post 3 b, female 1 b, minority 1 b |
//! | `member`    | u32  | member id (write path only; scans never read it)           |
//!
//! 14 bytes per row, of which a report reads 10. The org tree adds ~30 bytes per org and
//! the offsets 4, about 2 bytes per row at national proportions (20 rows per org): ~16
//! bytes per member interval in all ([`Engine::resident_bytes`]).
//!
//! The join date only matters through its era, and it is constant over an interval (see
//! [`history::Span::joined_before`]), so it is stored as the era in `attrs`. Member
//! attributes are repeated per interval: with 1–2 intervals per member that is cheaper than
//! an indirection, and it keeps the scan sequential.
//!
//! Rows whose dates do not fit the compact range (see [`dates`]) and rows added by the
//! write path since the last compaction live in a small sorted *side* store with exact
//! `i32` dates, scanned after the columns.
//!
//! # Reports
//!
//! [`Engine::counts`] finds the subtree's org range, splits it into tasks of about
//! [`TASK_ROWS`] rows, and scans them in parallel (rayon), each worker filling fixed-size
//! accumulators that are merged at the end. Every figure of
//! [`crate::summary::Summary`] is a marginal, so most are plain sums computed by a
//! vectorized pass over a block of rows (on the roster, probationary, female, minority,
//! and "has reached age 31, 36, …, 61" from which the eight bands follow); the attribute
//! figures come from one 4096-bucket histogram over the low 12 bits of `attrs`
//! (education × occupation × join era × village post), one increment per row. Orgs are
//! counted by kind × field and setup mode as the scan walks them, and members by the field
//! of their org. [`crate::summary::summarize`] (the same function the SQL path uses) turns
//! the counts into the report.
//!
//! [`Engine::rollup`] counts every org's own rows in one parallel pass and then adds each
//! org into its parent in reverse depth-first order, giving every org its subtree figures.

pub mod dates;
pub mod history;
mod load;
mod scan;
pub mod tree;
mod update;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use jiceng_domain::member::{Education, EventLite, Gender, Occupation, VillagePost};

use crate::summary::{code_index, join_era_index, summarize, Counts, Summary};
pub use history::{member_spans, Span};
pub use load::Loader;
pub use scan::OrgFigures;
pub use tree::{OrgRow, OrgTree};

use dates::{compact, day, OPEN16, OPEN32};

/// Rows per parallel task: large enough that rayon's overhead (a few microseconds) is
/// noise, small enough that the cores stay balanced on a subtree of a few hundred
/// thousand rows.
pub const TASK_ROWS: usize = 1 << 15;

/// Why the engine refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// Org rows not in depth-first order: the parent of this org was not an open ancestor.
    NotDepthFirst {
        /// The org.
        id: i64,
    },
    /// The same org id twice.
    DuplicateOrg {
        /// The org.
        id: i64,
    },
    /// Member ids are stored as `u32` (4 bytes a row); this one does not fit.
    MemberIdOutOfRange {
        /// The member.
        id: i64,
    },
    /// The loader needs members in ascending id order (it keeps rows sorted by member).
    MembersOutOfOrder {
        /// The member.
        id: i64,
    },
    /// More than `u32::MAX` rows or orgs.
    TooLarge,
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::NotDepthFirst { id } => {
                write!(f, "org {id} is not in depth-first (path) order")
            }
            EngineError::DuplicateOrg { id } => write!(f, "org {id} appears twice"),
            EngineError::MemberIdOutOfRange { id } => {
                write!(f, "member id {id} does not fit the engine's 32-bit column")
            }
            EngineError::MembersOutOfOrder { id } => {
                write!(f, "member {id} arrived out of ascending id order")
            }
            EngineError::TooLarge => write!(f, "more than 2^32 rows or orgs"),
        }
    }
}

impl std::error::Error for EngineError {}

/// A member's attributes as the report needs them (current values, as the SQL path uses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberAttrs {
    /// Gender.
    pub gender: Gender,
    /// Birth date.
    pub birth: NaiveDate,
    /// Ethnic minority ([`jiceng_domain::ethnicity::is_minority`] of the stored code).
    pub minority: bool,
    /// Education.
    pub education: Education,
    /// Occupation.
    pub occupation: Occupation,
    /// Village post.
    pub village_post: Option<VillagePost>,
    /// Join date on the member record (used when no `Joined` event is in the past).
    pub join_date: Option<NaiveDate>,
}

/// Packs the attributes and the join era of one interval (layout in the module docs).
pub(crate) fn pack_attrs(a: &MemberAttrs, era: Option<usize>) -> u16 {
    let edu = code_index(a.education) as u16;
    let occ = code_index(a.occupation) as u16;
    let era = era.map_or(0, |e| e as u16 + 1);
    let vp = a.village_post.map_or(0, |p| code_index(p) as u16 + 1);
    let female = u16::from(a.gender == Gender::Female);
    edu | (occ << 3) | (era << 6) | (vp << 9) | (female << 12) | (u16::from(a.minority) << 13)
}

/// One interval in wide form: exact dates, org position. What loading and the write path
/// produce, and what the side store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Row {
    /// Org position.
    pub org: u32,
    /// Member id.
    pub member: u32,
    /// First day on the roster.
    pub from: i32,
    /// First day off ([`OPEN32`] = open).
    pub to: i32,
    /// Probationary before this day ([`OPEN32`] = throughout).
    pub full_from: i32,
    /// Birth day.
    pub birth: i32,
    /// Packed attributes.
    pub attrs: u16,
}

/// The compact columns of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Compact {
    pub from: u16,
    pub to: u16,
    pub full_from: u16,
    pub birth: u16,
}

impl Row {
    /// The compact form, when every date fits. `full_from` only matters inside
    /// `[from, to)`, so it is normalised to that range (which also makes it fit).
    pub fn compact(&self) -> Option<Compact> {
        let from = compact(self.from)?;
        let to = if self.to == OPEN32 {
            OPEN16
        } else {
            compact(self.to)?
        };
        let full_from = if self.full_from >= self.to {
            OPEN16
        } else if self.full_from <= self.from {
            from
        } else {
            compact(self.full_from)?
        };
        Some(Compact {
            from,
            to,
            full_from,
            birth: compact(self.birth)?,
        })
    }
}

/// Appends the rows of one member: spans of the history mapped to org positions (spans in
/// orgs the tree does not know are dropped: no subtree could count them).
pub(crate) fn member_rows(
    tree: &OrgTree,
    member: u32,
    attrs: &MemberAttrs,
    events: &[EventLite],
    spans: &mut Vec<Span>,
    out: &mut Vec<Row>,
) {
    history::member_spans_into(events, spans);
    let event_era = history::first_joined(events).map(join_era_index);
    let record_era = attrs.join_date.map(join_era_index);
    let birth = day(attrs.birth);
    for s in spans.iter() {
        let Some(pos) = tree.pos(s.org) else {
            continue;
        };
        let era = if s.joined_before {
            event_era
        } else {
            record_era
        };
        out.push(Row {
            org: pos as u32,
            member,
            from: day(s.from),
            to: s.to.map_or(OPEN32, day),
            full_from: s.full_from.map_or(OPEN32, day),
            birth,
            attrs: pack_attrs(attrs, era),
        });
    }
}

/// The engine: org tree, compact columns, side store.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) tree: OrgTree,
    /// Rows of org `p`: `offsets[p]..offsets[p + 1]`.
    pub(crate) offsets: Vec<u32>,
    pub(crate) from: Vec<u16>,
    pub(crate) to: Vec<u16>,
    pub(crate) full_from: Vec<u16>,
    pub(crate) birth: Vec<u16>,
    pub(crate) attrs: Vec<u16>,
    pub(crate) member: Vec<u32>,
    /// Wide rows sorted by (org, member): out-of-range dates and recent writes.
    pub(crate) side: Vec<Row>,
    /// Column rows emptied by the write path and not reused yet.
    pub(crate) dead: usize,
    /// Side rows that would fit the columns (merged at the next compaction).
    pub(crate) side_compactable: usize,
    /// Compaction starts when `dead + side_compactable` exceeds this or 1/32 of the rows.
    pub(crate) compact_min: usize,
}

impl Engine {
    /// An engine over a tree with no member rows.
    pub fn empty(tree: OrgTree) -> Engine {
        let n = tree.len();
        Engine {
            tree,
            offsets: vec![0; n + 1],
            from: Vec::new(),
            to: Vec::new(),
            full_from: Vec::new(),
            birth: Vec::new(),
            attrs: Vec::new(),
            member: Vec::new(),
            side: Vec::new(),
            dead: 0,
            side_compactable: 0,
            compact_min: 1 << 16,
        }
    }

    /// The org tree.
    pub fn tree(&self) -> &OrgTree {
        &self.tree
    }

    /// Member intervals held (live rows in the columns plus side rows).
    pub fn intervals(&self) -> usize {
        self.from.len() - self.dead + self.side.len()
    }

    /// Rows held for the orgs of a position range (column rows, emptied ones included,
    /// plus side rows): the work a report over that range does.
    pub fn rows_in(&self, orgs: std::ops::Range<usize>) -> usize {
        let end = orgs.end.min(self.tree.len());
        let start = orgs.start.min(end);
        (self.offsets[end] - self.offsets[start]) as usize + self.side_rows(start..end).len()
    }

    /// Bytes held by every structure of the engine (capacities, not lengths).
    pub fn resident_bytes(&self) -> usize {
        self.tree.resident_bytes()
            + self.offsets.capacity() * 4
            + (self.from.capacity()
                + self.to.capacity()
                + self.full_from.capacity()
                + self.birth.capacity()
                + self.attrs.capacity())
                * 2
            + self.member.capacity() * 4
            + self.side.capacity() * std::mem::size_of::<Row>()
    }

    /// The counts of the subtree of `org_id` on `as_of` (`None` for an unknown org).
    pub fn counts(&self, org_id: i64, as_of: NaiveDate) -> Option<Counts> {
        let pos = self.tree.pos(org_id)?;
        Some(self.counts_at(self.tree.subtree(pos), as_of))
    }

    /// The summary report of the subtree of `org_id` on `as_of`, equal to
    /// [`crate::summary::compute`] over the store's snapshot. The name is the caller's: it
    /// has read the org for its scope check, and 5 M names would cost ~1.5 bytes a row.
    pub fn summary(&self, org_id: i64, org_name: &str, as_of: NaiveDate) -> Option<Summary> {
        let c = self.counts(org_id, as_of)?;
        Some(summarize(as_of, org_id, org_name, &c))
    }
}

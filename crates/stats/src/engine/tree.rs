//! The org tree in depth-first order: every subtree is the position range `[pos, end)`.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiceng_domain::org::{Field, OrgKind, SetupMode};

use super::dates::{day, OPEN32};
use super::EngineError;
use crate::summary::code_index;

/// "No parent" in [`OrgTree::parent`].
pub const NO_PARENT: u32 = u32::MAX;

/// One org as the engine needs it (a row of `orgs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    /// Id.
    pub id: i64,
    /// Parent id (`None` for a root).
    pub parent_id: Option<i64>,
    /// Kind.
    pub kind: OrgKind,
    /// Field.
    pub field: Field,
    /// Setup mode.
    pub setup_mode: SetupMode,
    /// Founded (alive from this day).
    pub founded: NaiveDate,
    /// Dissolved (not alive from this day on).
    pub dissolved: Option<NaiveDate>,
}

/// The tree as columns indexed by depth-first position.
///
/// About 30 bytes per org (5.3 M orgs: ~160 MB, ~1.6 bytes per member interval at 100 M).
/// Names are not kept: the caller of a report has already read the org for its scope check.
#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    /// Org id at each position.
    pub(crate) ids: Vec<i64>,
    /// End (exclusive) of each position's subtree.
    pub(crate) end: Vec<u32>,
    /// Parent position ([`NO_PARENT`] for roots); always smaller than the child's.
    pub(crate) parent: Vec<u32>,
    /// Founded, as a day number.
    pub(crate) founded: Vec<i32>,
    /// Dissolved, as a day number ([`OPEN32`] when alive).
    pub(crate) dissolved: Vec<i32>,
    /// Kind (bits 0–2), field (3–6) and setup mode (7–10), as table indexes.
    pub(crate) class: Vec<u16>,
    /// Id → position.
    index: IdIndex,
}

/// Id → position. Database ids are assigned in sequence, so usually a direct table
/// (4 bytes per org, one memory access: loading looks up every interval's org); sparse
/// ids fall back to binary search over sorted ids (12 bytes per org).
#[derive(Debug, Clone)]
enum IdIndex {
    /// `pos[id - base]`, [`NO_PARENT`] for ids not in the tree.
    Dense { base: i64, pos: Vec<u32> },
    /// Sorted ids and their positions.
    Sorted { ids: Vec<i64>, pos: Vec<u32> },
}

impl Default for IdIndex {
    fn default() -> Self {
        IdIndex::Dense {
            base: 0,
            pos: Vec::new(),
        }
    }
}

impl OrgTree {
    /// Builds the tree from rows in depth-first order (sorting by materialized path gives
    /// it). Refuses rows whose parent is not an open ancestor (not depth-first) or repeated
    /// ids, rather than silently mis-ranging subtrees.
    pub fn from_dfs(rows: impl IntoIterator<Item = OrgRow>) -> Result<OrgTree, EngineError> {
        let mut t = OrgTree::default();
        let mut index: HashMap<i64, u32> = HashMap::new();
        let mut stack: Vec<u32> = Vec::new();
        for r in rows {
            let i = u32::try_from(t.ids.len()).map_err(|_| EngineError::TooLarge)?;
            if i == NO_PARENT {
                return Err(EngineError::TooLarge);
            }
            if index.insert(r.id, i).is_some() {
                return Err(EngineError::DuplicateOrg { id: r.id });
            }
            let parent = match r.parent_id {
                None => {
                    while let Some(top) = stack.pop() {
                        t.end[top as usize] = i;
                    }
                    NO_PARENT
                }
                Some(pid) => {
                    let p = *index
                        .get(&pid)
                        .ok_or(EngineError::NotDepthFirst { id: r.id })?;
                    while let Some(&top) = stack.last() {
                        if top == p {
                            break;
                        }
                        stack.pop();
                        t.end[top as usize] = i;
                    }
                    if stack.is_empty() {
                        return Err(EngineError::NotDepthFirst { id: r.id });
                    }
                    p
                }
            };
            stack.push(i);
            t.ids.push(r.id);
            t.end.push(i + 1);
            t.parent.push(parent);
            t.founded.push(day(r.founded));
            t.dissolved.push(r.dissolved.map(day).unwrap_or(OPEN32));
            t.class.push(pack_class(r.kind, r.field, r.setup_mode));
        }
        let n = u32::try_from(t.ids.len()).map_err(|_| EngineError::TooLarge)?;
        for top in stack {
            t.end[top as usize] = n;
        }
        let (lo, hi) = (t.ids.iter().min(), t.ids.iter().max());
        let span = match (lo, hi) {
            (Some(lo), Some(hi)) => hi.checked_sub(*lo).and_then(|x| usize::try_from(x).ok()),
            _ => Some(0),
        };
        t.index = match span {
            Some(span) if span < 2 * t.ids.len() + 1024 => {
                let base = lo.copied().unwrap_or(0);
                let mut pos = vec![NO_PARENT; if t.ids.is_empty() { 0 } else { span + 1 }];
                for (id, p) in index {
                    pos[(id - base) as usize] = p;
                }
                IdIndex::Dense { base, pos }
            }
            _ => {
                let mut by_id: Vec<(i64, u32)> = index.into_iter().collect();
                by_id.sort_unstable();
                IdIndex::Sorted {
                    ids: by_id.iter().map(|x| x.0).collect(),
                    pos: by_id.iter().map(|x| x.1).collect(),
                }
            }
        };
        Ok(t)
    }

    /// Number of orgs.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// No orgs at all.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Position of an org id.
    pub fn pos(&self, id: i64) -> Option<usize> {
        let p = match &self.index {
            IdIndex::Dense { base, pos } => {
                let i = usize::try_from(id.checked_sub(*base)?).ok()?;
                *pos.get(i)?
            }
            IdIndex::Sorted { ids, pos } => *pos.get(ids.binary_search(&id).ok()?)?,
        };
        (p != NO_PARENT).then_some(p as usize)
    }

    /// Org id at a position.
    pub fn id_at(&self, pos: usize) -> Option<i64> {
        self.ids.get(pos).copied()
    }

    /// The subtree of `pos` as a position range.
    pub fn subtree(&self, pos: usize) -> std::ops::Range<usize> {
        pos..self.end.get(pos).map_or(pos, |e| *e as usize)
    }

    /// Alive on the day: founded on or before it and not dissolved on or before it (the
    /// snapshot's `founded > d OR dissolved <= d` excludes the rest).
    #[inline]
    pub(crate) fn alive(&self, pos: usize, d: i32) -> bool {
        self.founded[pos] <= d && d < self.dissolved[pos]
    }

    /// Field index of a position.
    #[inline]
    pub(crate) fn field(&self, pos: usize) -> usize {
        usize::from((self.class[pos] >> 3) & 15)
    }

    /// Bytes held.
    pub fn resident_bytes(&self) -> usize {
        self.ids.capacity() * 8
            + self.end.capacity() * 4
            + self.parent.capacity() * 4
            + self.founded.capacity() * 4
            + self.dissolved.capacity() * 4
            + self.class.capacity() * 2
            + match &self.index {
                IdIndex::Dense { pos, .. } => pos.capacity() * 4,
                IdIndex::Sorted { ids, pos } => ids.capacity() * 8 + pos.capacity() * 4,
            }
    }
}

/// Packs kind, field and setup mode indexes into 11 bits.
fn pack_class(kind: OrgKind, field: Field, setup: SetupMode) -> u16 {
    let k = code_index(kind) as u16;
    let f = code_index(field) as u16;
    let s = code_index(setup) as u16;
    k | (f << 3) | (s << 7)
}

/// Unpacks [`OrgTree::class`]: (kind, field, setup) indexes.
#[inline]
pub(crate) fn unpack_class(c: u16) -> (usize, usize, usize) {
    (
        usize::from(c & 7),
        usize::from((c >> 3) & 15),
        usize::from((c >> 7) & 15),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiceng_domain::codes::Coded;

    fn row(id: i64, parent: Option<i64>) -> OrgRow {
        OrgRow {
            id,
            parent_id: parent,
            kind: OrgKind::Branch,
            field: Field::Rural,
            setup_mode: SetupMode::Standalone,
            founded: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            dissolved: None,
        }
    }

    #[test]
    fn subtrees_are_ranges() {
        // /1/ /1/2/ /1/2/4/ /1/3/ /9/
        let t = OrgTree::from_dfs(vec![
            row(1, None),
            row(2, Some(1)),
            row(4, Some(2)),
            row(3, Some(1)),
            row(9, None),
        ])
        .unwrap();
        assert_eq!(t.subtree(0), 0..4);
        assert_eq!(t.subtree(1), 1..3);
        assert_eq!(t.subtree(2), 2..3);
        assert_eq!(t.subtree(3), 3..4);
        assert_eq!(t.subtree(4), 4..5);
        assert_eq!(t.pos(4), Some(2));
        assert_eq!(t.pos(5), None);
        assert_eq!(t.parent, vec![NO_PARENT, 0, 1, 0, NO_PARENT]);
    }

    #[test]
    fn sparse_ids_use_the_sorted_index() {
        let t =
            OrgTree::from_dfs(vec![row(5, None), row(1 << 40, Some(5)), row(-3, Some(5))]).unwrap();
        assert!(matches!(t.index, IdIndex::Sorted { .. }));
        assert_eq!(t.pos(1 << 40), Some(1));
        assert_eq!(t.pos(-3), Some(2));
        assert_eq!(t.pos(4), None);
        let dense = OrgTree::from_dfs(vec![row(10, None), row(12, Some(10))]).unwrap();
        assert!(matches!(dense.index, IdIndex::Dense { .. }));
        assert_eq!(dense.pos(12), Some(1));
        assert_eq!(dense.pos(11), None);
        assert_eq!(dense.pos(9), None);
        assert_eq!(dense.pos(i64::MIN), None);
        assert_eq!(OrgTree::from_dfs(Vec::new()).unwrap().pos(0), None);
    }

    #[test]
    fn refuses_other_orders() {
        assert_eq!(
            OrgTree::from_dfs(vec![row(2, Some(1)), row(1, None)]).err(),
            Some(EngineError::NotDepthFirst { id: 2 })
        );
        // 4's parent 2 was closed when 3 (a sibling of 2) came.
        assert_eq!(
            OrgTree::from_dfs(vec![
                row(1, None),
                row(2, Some(1)),
                row(3, Some(1)),
                row(4, Some(2))
            ])
            .err(),
            Some(EngineError::NotDepthFirst { id: 4 })
        );
        assert_eq!(
            OrgTree::from_dfs(vec![row(1, None), row(1, None)]).err(),
            Some(EngineError::DuplicateOrg { id: 1 })
        );
    }

    #[test]
    fn class_round_trip() {
        for k in OrgKind::ALL {
            for f in Field::ALL {
                for s in SetupMode::ALL {
                    let c = pack_class(*k, *f, *s);
                    assert_eq!(
                        unpack_class(c),
                        (code_index(*k), code_index(*f), code_index(*s))
                    );
                }
            }
        }
    }
}

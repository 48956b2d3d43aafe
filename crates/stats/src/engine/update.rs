//! Keeping the engine current: member changes, compaction, tree restructures.

use jiceng_domain::member::EventLite;

use super::dates::OPEN16;
use super::load::member_u32;
use super::tree::{OrgRow, OrgTree};
use super::{member_rows, Compact, Engine, EngineError, MemberAttrs, Row};

impl Engine {
    /// Column rows of member `m` in org `p` (contiguous: rows are sorted by member within
    /// an org).
    fn member_range(&self, p: usize, m: u32) -> std::ops::Range<usize> {
        let r0 = self.offsets[p] as usize;
        let r1 = self.offsets[p + 1] as usize;
        let s = &self.member[r0..r1];
        r0 + s.partition_point(|x| *x < m)..r0 + s.partition_point(|x| *x <= m)
    }

    fn write_row(&mut self, i: usize, c: Compact, attrs: u16) {
        self.from[i] = c.from;
        self.to[i] = c.to;
        self.full_from[i] = c.full_from;
        self.birth[i] = c.birth;
        self.attrs[i] = attrs;
    }

    /// Replaces everything the engine holds about one member with what `events` (the
    /// member's whole history, sorted as for `state_at`) and `attrs` say; `attrs = None`
    /// removes the member (never counted). Call it after the store commits a change.
    ///
    /// Where the old rows are: only in orgs the history names, because the store's event
    /// log is append-only (no event is ever updated or deleted), so the new history names
    /// every org the old one did. In each such org the member's rows are found by binary
    /// search and emptied in place (`from = MAX`, never on the roster); new rows that fit
    /// the columns reuse those slots in the same org (the common case: a conversion, a
    /// changed attribute), the others go to the side store.
    ///
    /// Cost: O(k log r) for k orgs in the history, plus an insertion into the side store
    /// (at most 64 K rows, so under a couple of megabytes moved) when the member enters a
    /// new org. Every 64 K such insertions (or when emptied slots pass 1/32 of the rows) the
    /// columns are rebuilt ([`Engine::compact`], O(rows), ~1 s at 100 M), which amortizes
    /// to microseconds per change.
    pub fn apply_member(
        &mut self,
        member_id: i64,
        events: &[EventLite],
        attrs: Option<&MemberAttrs>,
    ) -> Result<(), EngineError> {
        let m = member_u32(member_id)?;
        let mut orgs: Vec<usize> = events
            .iter()
            .filter_map(|e| e.org)
            .filter_map(|id| self.tree.pos(id))
            .collect();
        orgs.sort_unstable();
        orgs.dedup();
        let mut rows = Vec::new();
        if let Some(a) = attrs {
            member_rows(&self.tree, m, a, events, &mut Vec::new(), &mut rows);
        }
        let mut slots: Vec<usize> = Vec::new();
        for &p in &orgs {
            for i in self.member_range(p, m) {
                if self.from[i] != OPEN16 {
                    self.from[i] = OPEN16;
                    self.to[i] = 0;
                    self.dead += 1;
                }
                slots.push(i);
            }
            let key = (p as u32, m);
            let lo = self.side.partition_point(|r| (r.org, r.member) < key);
            let hi = self.side.partition_point(|r| (r.org, r.member) <= key);
            let gone = self.side[lo..hi]
                .iter()
                .filter(|r| r.compact().is_some())
                .count();
            self.side_compactable -= gone;
            self.side.drain(lo..hi);
        }
        for r in rows {
            if let Some(c) = r.compact() {
                let org = r.org as usize;
                let (r0, r1) = (self.offsets[org] as usize, self.offsets[org + 1] as usize);
                if let Some(k) = slots.iter().position(|i| (r0..r1).contains(i)) {
                    let i = slots.swap_remove(k);
                    self.write_row(i, c, r.attrs);
                    self.dead -= 1;
                    continue;
                }
                self.side_compactable += 1;
            }
            let key = (r.org, r.member);
            let at = self.side.partition_point(|x| (x.org, x.member) <= key);
            self.side.insert(at, r);
        }
        if self.side_compactable > self.compact_min
            || self.dead > self.compact_min.max(self.from.len() / 32)
        {
            self.compact();
        }
        Ok(())
    }

    /// Rewrites the columns without emptied rows and with every side row that fits.
    /// O(rows); needs room for a second copy of the columns while it runs.
    pub fn compact(&mut self) {
        let tree = self.tree.clone();
        self.relayout(tree);
    }

    /// Takes a restructured tree (orgs created, moved, merged, dissolved or edited), in
    /// depth-first order. Member rows refer to orgs, not positions, so they are carried
    /// over: each org's block of rows is copied to its new position, O(rows) sequential
    /// copying; rows of orgs no longer in the tree are dropped.
    pub fn rebuild(&mut self, orgs: impl IntoIterator<Item = OrgRow>) -> Result<(), EngineError> {
        let tree = OrgTree::from_dfs(orgs)?;
        self.relayout(tree);
        Ok(())
    }

    fn relayout(&mut self, new_tree: OrgTree) {
        let n = new_tree.len();
        let old_of: Vec<Option<usize>> = new_tree.ids.iter().map(|id| self.tree.pos(*id)).collect();
        let mut side: Vec<Row> = std::mem::take(&mut self.side)
            .into_iter()
            .filter_map(|mut r| {
                let id = self.tree.id_at(r.org as usize)?;
                r.org = new_tree.pos(id)? as u32;
                Some(r)
            })
            .collect();
        side.sort_unstable();
        let cap = self.from.len() - self.dead + self.side_compactable;
        let mut e = Engine::empty(new_tree);
        e.compact_min = self.compact_min;
        e.from.reserve(cap);
        e.to.reserve(cap);
        e.full_from.reserve(cap);
        e.birth.reserve(cap);
        e.attrs.reserve(cap);
        e.member.reserve(cap);
        let mut si = 0;
        let mut fitting: Vec<(Row, Compact)> = Vec::new();
        for (q, old) in old_of.iter().enumerate() {
            e.offsets[q] = e.from.len() as u32;
            fitting.clear();
            while si < side.len() && side[si].org as usize == q {
                let r = side[si];
                match r.compact() {
                    Some(c) => fitting.push((r, c)),
                    None => e.side.push(r),
                }
                si += 1;
            }
            let base = old.map_or(0..0, |p| {
                self.offsets[p] as usize..self.offsets[p + 1] as usize
            });
            let mut j = 0;
            for i in base {
                if self.from[i] == OPEN16 {
                    continue;
                }
                while j < fitting.len() && fitting[j].0.member < self.member[i] {
                    e.push_compact(&fitting[j].0, fitting[j].1);
                    j += 1;
                }
                e.from.push(self.from[i]);
                e.to.push(self.to[i]);
                e.full_from.push(self.full_from[i]);
                e.birth.push(self.birth[i]);
                e.attrs.push(self.attrs[i]);
                e.member.push(self.member[i]);
            }
            for (r, c) in &fitting[j..] {
                e.push_compact(r, *c);
            }
        }
        e.offsets[n] = e.from.len() as u32;
        *self = e;
    }

    fn push_compact(&mut self, r: &Row, c: Compact) {
        self.from.push(c.from);
        self.to.push(c.to);
        self.full_from.push(c.full_from);
        self.birth.push(c.birth);
        self.attrs.push(r.attrs);
        self.member.push(r.member);
    }
}

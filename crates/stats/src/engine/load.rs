//! Building an engine from a stream of members and their events.

use jiceng_domain::member::EventLite;

use super::tree::{OrgRow, OrgTree};
use super::{member_rows, Engine, EngineError, MemberAttrs, Row, Span};

/// Consumes the org rows (depth-first order), then members in ascending id order with
/// their events (sorted by date, then recording order), and builds the [`Engine`].
///
/// Push-based so that the store can feed it straight from a database cursor: call
/// [`Loader::begin_member`] when the member id changes and [`Loader::push_event`] for each
/// event row, or [`Loader::add_member`] with a whole history. Rows are staged in compact
/// columns plus their org position (18 bytes a row) and put in org order by one counting
/// sort in [`Loader::finish`], one column at a time, so the peak is about 1.5× the result.
#[derive(Debug)]
pub struct Loader {
    tree: OrgTree,
    org: Vec<u32>,
    member: Vec<u32>,
    from: Vec<u16>,
    to: Vec<u16>,
    full_from: Vec<u16>,
    birth: Vec<u16>,
    attrs: Vec<u16>,
    side: Vec<Row>,
    current: Option<(u32, Option<MemberAttrs>)>,
    last: Option<u32>,
    events: Vec<EventLite>,
    spans: Vec<Span>,
    rows: Vec<Row>,
}

/// Member id as stored (4 bytes a row).
pub(crate) fn member_u32(id: i64) -> Result<u32, EngineError> {
    u32::try_from(id).map_err(|_| EngineError::MemberIdOutOfRange { id })
}

impl Loader {
    /// Starts with the org tree (rows in depth-first order).
    pub fn new(orgs: impl IntoIterator<Item = OrgRow>) -> Result<Loader, EngineError> {
        Ok(Loader::with_tree(OrgTree::from_dfs(orgs)?))
    }

    /// Starts with a tree already built.
    pub fn with_tree(tree: OrgTree) -> Loader {
        Loader {
            tree,
            org: Vec::new(),
            member: Vec::new(),
            from: Vec::new(),
            to: Vec::new(),
            full_from: Vec::new(),
            birth: Vec::new(),
            attrs: Vec::new(),
            side: Vec::new(),
            current: None,
            last: None,
            events: Vec::new(),
            spans: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Reserves room for about `rows` intervals (avoids regrowth when the count is known).
    pub fn reserve(&mut self, rows: usize) {
        self.org.reserve(rows);
        self.member.reserve(rows);
        self.from.reserve(rows);
        self.to.reserve(rows);
        self.full_from.reserve(rows);
        self.birth.reserve(rows);
        self.attrs.reserve(rows);
    }

    /// Starts the next member (ids strictly ascending). `attrs` is `None` for a member the
    /// report cannot place (unparseable attributes): such a member never counts, as in
    /// the SQL path.
    pub fn begin_member(
        &mut self,
        member_id: i64,
        attrs: Option<MemberAttrs>,
    ) -> Result<(), EngineError> {
        self.flush();
        let m = member_u32(member_id)?;
        if self.last.is_some_and(|l| l >= m) {
            return Err(EngineError::MembersOutOfOrder { id: member_id });
        }
        self.last = Some(m);
        self.current = Some((m, attrs));
        Ok(())
    }

    /// One event of the current member.
    pub fn push_event(&mut self, e: EventLite) {
        self.events.push(e);
    }

    /// A whole member at once.
    pub fn add_member(
        &mut self,
        member_id: i64,
        attrs: Option<&MemberAttrs>,
        events: &[EventLite],
    ) -> Result<(), EngineError> {
        self.begin_member(member_id, attrs.cloned())?;
        self.events.extend_from_slice(events);
        Ok(())
    }

    fn flush(&mut self) {
        let Some((m, attrs)) = self.current.take() else {
            self.events.clear();
            return;
        };
        if let Some(a) = attrs {
            self.rows.clear();
            member_rows(
                &self.tree,
                m,
                &a,
                &self.events,
                &mut self.spans,
                &mut self.rows,
            );
            for r in &self.rows {
                match r.compact() {
                    Some(c) => {
                        self.org.push(r.org);
                        self.member.push(r.member);
                        self.from.push(c.from);
                        self.to.push(c.to);
                        self.full_from.push(c.full_from);
                        self.birth.push(c.birth);
                        self.attrs.push(r.attrs);
                    }
                    None => self.side.push(*r),
                }
            }
        }
        self.events.clear();
    }

    /// Puts the rows in org order and returns the engine.
    pub fn finish(mut self) -> Result<Engine, EngineError> {
        self.flush();
        let n = self.tree.len();
        let rows = self.org.len();
        if u32::try_from(rows).is_err() {
            return Err(EngineError::TooLarge);
        }
        // Counting sort by org position; stable, so members stay ascending within an org.
        let mut offsets = vec![0u32; n + 1];
        for o in &self.org {
            offsets[*o as usize + 1] += 1;
        }
        for p in 0..n {
            offsets[p + 1] += offsets[p];
        }
        let mut cursor = offsets.clone();
        let dest: Vec<u32> = self
            .org
            .iter()
            .map(|o| {
                let c = &mut cursor[*o as usize];
                let at = *c;
                *c += 1;
                at
            })
            .collect();
        drop(cursor);
        self.org = Vec::new();
        let mut e = Engine::empty(self.tree);
        e.offsets = offsets;
        e.from = scatter(std::mem::take(&mut self.from), &dest);
        e.to = scatter(std::mem::take(&mut self.to), &dest);
        e.full_from = scatter(std::mem::take(&mut self.full_from), &dest);
        e.birth = scatter(std::mem::take(&mut self.birth), &dest);
        e.attrs = scatter(std::mem::take(&mut self.attrs), &dest);
        e.member = scatter(std::mem::take(&mut self.member), &dest);
        self.side.sort_unstable();
        e.side = self.side;
        Ok(e)
    }
}

/// `out[dest[i]] = src[i]`, freeing `src` as soon as it is copied.
fn scatter<T: Copy + Default>(src: Vec<T>, dest: &[u32]) -> Vec<T> {
    let mut out = vec![T::default(); src.len()];
    for (v, d) in src.into_iter().zip(dest) {
        out[*d as usize] = v;
    }
    out
}

//! Computing the annual report from member histories, one member at a time.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiceng_domain::age::age_on;
use jiceng_domain::member::{apply, EventLite, MemberEventKind, RosterState};
use jiceng_domain::org::CommitteeRole;
use serde::Serialize;

use super::filter::{bit, Ctx, Pred};
use super::{Basis, CheckDef, DefError, ReportDef, TableKind};

/// Rows of T1 (两年党员数综合比较 / 党员数量变化情况, 2017 numbering).
pub const T1_ROWS: [(&str, &str); 17] = [
    ("1", "一、上年底总数"),
    ("2", "二、本年增加"),
    ("3", "发展党员"),
    ("4", "其中：重新入党"),
    ("5", "恢复党籍"),
    ("6", "其中：停止党籍后恢复党籍"),
    ("7", "转入组织关系"),
    ("8", "其中：整建制转入"),
    ("9", "三、本年减少"),
    ("10", "出党"),
    ("11", "停止党籍"),
    ("12", "死亡"),
    ("13", "转出组织关系"),
    ("14", "其中：整建制转出"),
    ("15", "四、本年底应有数"),
    ("16", "五、本年底实有数"),
    ("17", "六、实有数与应有数之差"),
];

/// The report period: a calendar year, stocks on its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Report year.
    pub year: i32,
    /// 1 January.
    pub start: NaiveDate,
    /// 31 December (统计截止日期).
    pub end: NaiveDate,
    /// 31 December of the year before (上年底).
    pub prev_end: NaiveDate,
}

impl Period {
    /// The period of report year `year` (`None` outside chrono's range).
    pub fn year(year: i32) -> Option<Period> {
        Some(Period {
            year,
            start: NaiveDate::from_ymd_opt(year, 1, 1)?,
            end: NaiveDate::from_ymd_opt(year, 12, 31)?,
            prev_end: NaiveDate::from_ymd_opt(year - 1, 12, 31)?,
        })
    }
}

/// An org of the subtree as the report sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgInfo {
    /// Field bit ([`bit`] of its `Field`).
    pub field: u32,
    /// Parent's field bit (0 for the top of the tree).
    pub parent_field: u32,
    /// Field bits of the org and every org above it.
    pub ancestor_fields: u32,
    /// Founded.
    pub founded: NaiveDate,
    /// Dissolved (the day it ceased).
    pub dissolved: Option<NaiveDate>,
}

impl OrgInfo {
    /// Exists on `d` (the same rule as the summary's snapshot).
    pub fn alive(&self, d: NaiveDate) -> bool {
        self.founded <= d && self.dissolved.is_none_or(|x| x > d)
    }
}

/// A member's attributes (masks are [`bit`]s of the coded values; 0 when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    /// Member id.
    pub id: i64,
    /// Woman.
    pub female: bool,
    /// Minority.
    pub minority: bool,
    /// Birth date.
    pub birth: NaiveDate,
    /// Education bit.
    pub education: u32,
    /// Occupation bit.
    pub occupation: u32,
    /// Village post bit.
    pub village_post: u32,
    /// Date of joining as recorded on the member (used when no `joined` event exists).
    pub join_date: Option<NaiveDate>,
}

/// A committee seat held by the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatSpan {
    /// Role.
    pub role: CommitteeRole,
    /// First day.
    pub from: NaiveDate,
    /// The day it ended, if it did.
    pub until: Option<NaiveDate>,
}

fn seats_on(seats: &[SeatSpan], d: NaiveDate) -> u32 {
    seats
        .iter()
        .filter(|s| s.from <= d && s.until.is_none_or(|u| u > d))
        .fold(0, |m, s| m | bit(s.role))
}

/// What the predicates see of a member on `date` in org `o` (age on `date` too): the
/// stock context of the report, and of the dashboard's drill-down on any date.
pub fn stock_ctx(
    p: &Person,
    o: &OrgInfo,
    probationary: bool,
    seats: &[SeatSpan],
    date: NaiveDate,
) -> Ctx {
    Ctx {
        probationary,
        female: p.female,
        minority: p.minority,
        age: age_on(p.birth, date),
        joined: p.join_date,
        education: p.education,
        occupation: p.occupation,
        field: o.field,
        parent_field: o.parent_field,
        ancestor_fields: o.ancestor_fields,
        village_post: p.village_post,
        seats: seats_on(seats, date),
        event: 0,
        rejoin: false,
    }
}

/// The date of joining: from the `joined` event when the system recorded it, else as
/// entered on the member (the summary's rule).
pub fn join_date(p: &Person, events: &[EventLite]) -> Option<NaiveDate> {
    events
        .iter()
        .find(|e| e.kind == MemberEventKind::Joined)
        .map(|e| e.date)
        .or(p.join_date)
}

/// Whether a member is on the roster of the subtree `orgs` on `as_of` (not suspended, org
/// existing) and satisfies `pred` there: the drill-down from a summary figure to names.
/// Returns the org counting them.
pub fn stock_match(
    p: &Person,
    events: &[EventLite],
    seats: &[SeatSpan],
    orgs: &HashMap<i64, OrgInfo>,
    as_of: NaiveDate,
    pred: &Pred,
) -> Option<i64> {
    let st = jiceng_domain::member::state_at(events, Some(as_of))?;
    if st.suspended {
        return None;
    }
    let o = orgs.get(&st.org).filter(|o| o.alive(as_of))?;
    let mut p = *p;
    p.join_date = join_date(&p, events);
    pred.eval(&stock_ctx(&p, o, st.probationary, seats, as_of))
        .then_some(st.org)
}

/// A member counted in a cell or list: for flows, the event and its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// Member id.
    pub member_id: i64,
    /// The org counting the member (stocks: holding the membership; flows: handling
    /// the event).
    pub org_id: Option<i64>,
    /// Event date (flows).
    pub date: Option<NaiveDate>,
    /// Event kind (flows).
    pub event: Option<MemberEventKind>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CBasis {
    Stock,
    Flow(u32),
}

fn cbasis(b: &Basis) -> Result<CBasis, DefError> {
    Ok(match b {
        Basis::Stock => CBasis::Stock,
        Basis::Flow(kinds) => CBasis::Flow(super::Filter::Event(kinds.clone()).compile().map(
            |p| match p {
                Pred::Event(m) => m,
                _ => 0,
            },
        )?),
    })
}

#[derive(Debug, Clone)]
struct CTable {
    kind: TableKind,
    rows: Vec<Pred>,
    cols: Vec<(CBasis, Pred)>,
}

/// A definition compiled and validated.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    tables: Vec<CTable>,
    lists: Vec<(CBasis, Pred)>,
    index: HashMap<String, usize>,
}

impl Compiled {
    pub(crate) fn new(def: &ReportDef) -> Result<Compiled, DefError> {
        let mut tables = Vec::new();
        let mut index = HashMap::new();
        for (i, t) in def.tables.iter().enumerate() {
            if index.insert(t.code.clone(), i).is_some() {
                return Err(DefError::Format(format!("表号重复：{}", t.code)));
            }
            let table_basis = t.basis.as_ref().map(cbasis).transpose()?;
            let rows = t
                .rows
                .iter()
                .map(|r| r.when.compile())
                .collect::<Result<_, _>>()?;
            let mut cols = Vec::new();
            for c in &t.cols {
                let b = match (&c.basis, table_basis) {
                    (Some(b), _) => cbasis(b)?,
                    (None, Some(b)) => b,
                    (None, None) => CBasis::Stock,
                };
                cols.push((b, c.when.compile()?));
            }
            if t.kind == TableKind::Reconciliation
                && (t.rows.len() != T1_ROWS.len() || t.cols.len() != 1)
            {
                return Err(DefError::Format(format!(
                    "{}：平衡表应为 17 行 1 列",
                    t.code
                )));
            }
            tables.push(CTable {
                kind: t.kind,
                rows,
                cols,
            });
        }
        let mut lists = Vec::new();
        for l in &def.lists {
            if !index.contains_key(&l.table) {
                return Err(DefError::UnknownCell(format!(
                    "{}（名单 {}）",
                    l.table, l.code
                )));
            }
            lists.push((cbasis(&l.basis)?, l.when.compile()?));
        }
        let c = Compiled {
            tables,
            lists,
            index,
        };
        for ch in &def.checks {
            c.check_refs(def, ch)?;
        }
        Ok(c)
    }

    fn table(&self, def: &ReportDef, code: &str) -> Result<usize, DefError> {
        let t = self
            .index
            .get(code)
            .copied()
            .ok_or_else(|| DefError::UnknownCell(code.to_string()))?;
        if def.tables[t].kind == TableKind::NotCollected {
            return Err(DefError::UnknownCell(format!("{code}（未采集）")));
        }
        Ok(t)
    }

    fn check_refs(&self, def: &ReportDef, ch: &CheckDef) -> Result<(), DefError> {
        let col = |t: usize, k: &str| col_index(def, t, k);
        let row = |t: usize, k: &str| row_index(def, t, k);
        match ch {
            CheckDef::ColsSum {
                table,
                target,
                parts,
            } => {
                let t = self.table(def, table)?;
                col(t, target)?;
                parts.iter().try_for_each(|p| col(t, p).map(|_| ()))?;
            }
            CheckDef::ColsLe { table, small, big } => {
                let t = self.table(def, table)?;
                col(t, small)?;
                col(t, big)?;
            }
            CheckDef::RowsSum {
                table,
                target,
                parts,
            } => {
                let t = self.table(def, table)?;
                row(t, target)?;
                parts.iter().try_for_each(|p| row(t, p).map(|_| ()))?;
            }
            CheckDef::RowsLe { table, small, big } => {
                let t = self.table(def, table)?;
                row(t, small)?;
                row(t, big)?;
            }
            CheckDef::CellEq { a, b } => {
                self.cell_ref(def, a)?;
                self.cell_ref(def, b)?;
            }
            CheckDef::ColEq {
                table,
                col: c,
                other,
                other_col,
            } => {
                let t = self.table(def, table)?;
                let o = self.table(def, other)?;
                col(t, c)?;
                col(o, other_col)?;
                for r in &def.tables[t].rows {
                    row(o, &r.key)?;
                }
            }
        }
        Ok(())
    }

    /// `T2/1/A` → (table, row, column) indices.
    fn cell_ref(&self, def: &ReportDef, s: &str) -> Result<(usize, usize, usize), DefError> {
        let mut it = s.split('/');
        let (Some(t), Some(r), Some(c), None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(DefError::UnknownCell(s.to_string()));
        };
        let t = self.table(def, t)?;
        Ok((t, row_index(def, t, r)?, col_index(def, t, c)?))
    }
}

fn row_index(def: &ReportDef, t: usize, key: &str) -> Result<usize, DefError> {
    def.tables[t]
        .rows
        .iter()
        .position(|r| r.key == key)
        .ok_or_else(|| DefError::UnknownCell(format!("{}/{key}", def.tables[t].code)))
}

fn col_index(def: &ReportDef, t: usize, key: &str) -> Result<usize, DefError> {
    def.tables[t]
        .cols
        .iter()
        .position(|c| c.key == key)
        .ok_or_else(|| DefError::UnknownCell(format!("{}/?/{key}", def.tables[t].code)))
}

/// A row or column heading in the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineOut {
    /// Row number or column letter.
    pub key: String,
    /// Heading.
    pub label: String,
}

/// One computed table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableOut {
    /// Code (`T2`).
    pub code: String,
    /// Title.
    pub title: String,
    /// `cells`, `reconciliation` or `not_collected`.
    pub kind: TableKind,
    /// Rows.
    pub rows: Vec<LineOut>,
    /// Columns.
    pub cols: Vec<LineOut>,
    /// `cells[row][col]` (empty when not collected).
    pub cells: Vec<Vec<i64>>,
    /// Notes.
    pub notes: Vec<String>,
    /// Why the table is not collected.
    pub reason: Option<String>,
    /// Rows computed from other rows (T1 rows 2, 9, 15): nobody stands behind them, drill
    /// into their component rows instead.
    pub derived_rows: Vec<String>,
}

/// One exception list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListOut {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Table it belongs to.
    pub table: String,
    /// Who is on it (member ids; names are added by the store).
    pub hits: Vec<Hit>,
}

/// The outcome of one check relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckOut {
    /// The rule, as text.
    pub rule: String,
    /// Holds everywhere.
    pub ok: bool,
    /// Where it fails, as text.
    pub failures: Vec<String>,
}

/// The computed report set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReport {
    /// Report year.
    pub year: i32,
    /// Definition used.
    pub definition: String,
    /// Where its layout comes from.
    pub source: String,
    /// Subtree root.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// First day of the period.
    pub period_start: NaiveDate,
    /// 统计截止日期.
    pub period_end: NaiveDate,
    /// Tables.
    pub tables: Vec<TableOut>,
    /// Exception lists (left out of the JSON when emptied, as the store replaces them by
    /// the lists with names).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<ListOut>,
    /// Checks.
    pub checks: Vec<CheckOut>,
}

/// Computes a report set for one subtree and year from members fed one at a time.
#[derive(Debug)]
pub struct Builder {
    def: ReportDef,
    c: Compiled,
    period: Period,
    org_id: i64,
    org_name: String,
    orgs: HashMap<i64, OrgInfo>,
    cells: Vec<Vec<Vec<i64>>>,
    t1: Option<usize>,
    lists: Vec<Vec<Hit>>,
    drill: Option<(usize, usize, usize)>,
    drilled: Vec<Hit>,
}

/// Index of each T1 row in [`T1_ROWS`].
mod r {
    pub const PREV: usize = 0;
    pub const ADD: usize = 1;
    pub const DEVELOP: usize = 2;
    pub const REJOIN: usize = 3;
    pub const RESTORE: usize = 4;
    pub const RESTORE_AFTER_SUSPENSION: usize = 5;
    pub const TRANSFER_IN: usize = 6;
    pub const REMOVE: usize = 8;
    pub const LEAVE: usize = 9;
    pub const SUSPEND: usize = 10;
    pub const DEATH: usize = 11;
    pub const TRANSFER_OUT: usize = 12;
    pub const EXPECTED: usize = 14;
    pub const ACTUAL: usize = 15;
    pub const DIFF: usize = 16;
}

impl Builder {
    /// A builder for the subtree whose orgs are `orgs` (every org of the subtree, by id;
    /// members are counted only in these).
    pub fn new(
        def: ReportDef,
        year: i32,
        org_id: i64,
        org_name: String,
        orgs: HashMap<i64, OrgInfo>,
    ) -> Result<Builder, DefError> {
        let c = Compiled::new(&def)?;
        let period = Period::year(year).ok_or(DefError::NoDefinition(year))?;
        let cells = def
            .tables
            .iter()
            .map(|t| match t.kind {
                TableKind::NotCollected => Vec::new(),
                _ => vec![vec![0; t.cols.len()]; t.rows.len()],
            })
            .collect();
        let t1 = def
            .tables
            .iter()
            .position(|t| t.kind == TableKind::Reconciliation);
        let lists = vec![Vec::new(); def.lists.len()];
        Ok(Builder {
            def,
            c,
            period,
            org_id,
            org_name,
            orgs,
            cells,
            t1,
            lists,
            drill: None,
            drilled: Vec::new(),
        })
    }

    /// Also collects the members behind one cell (`table/row/col`, e.g. `T2/1/C`), for the
    /// drill-down; [`Builder::finish`] returns them.
    pub fn drill(mut self, cell: &str) -> Result<Builder, DefError> {
        self.drill = Some(self.c.cell_ref(&self.def, cell)?);
        Ok(self)
    }

    /// The period.
    pub fn period(&self) -> Period {
        self.period
    }

    fn counted(&self, st: Option<&RosterState>, d: NaiveDate) -> Option<&OrgInfo> {
        let st = st?;
        if st.suspended {
            return None;
        }
        self.orgs.get(&st.org).filter(|o| o.alive(d))
    }

    fn hit(&mut self, t: usize, r: usize, c: usize, h: Hit) {
        self.cells[t][r][c] += 1;
        if self.drill == Some((t, r, c)) {
            self.drilled.push(h);
        }
    }

    fn t1_hit(&mut self, row: usize, h: Hit) {
        if let Some(t) = self.t1 {
            self.hit(t, row, 0, h);
        }
    }

    fn count(&mut self, basis: CBasis, ctx: &Ctx, h: Hit) {
        let matches = |b: CBasis| match (b, basis) {
            (CBasis::Stock, CBasis::Stock) => true,
            (CBasis::Flow(m), CBasis::Flow(e)) => m & e != 0,
            _ => false,
        };
        for t in 0..self.c.tables.len() {
            if self.c.tables[t].kind != TableKind::Cells {
                continue;
            }
            let cols: Vec<usize> = self.c.tables[t]
                .cols
                .iter()
                .enumerate()
                .filter(|(_, (b, p))| matches(*b) && p.eval(ctx))
                .map(|(i, _)| i)
                .collect();
            if cols.is_empty() {
                continue;
            }
            for r in 0..self.c.tables[t].rows.len() {
                if self.c.tables[t].rows[r].eval(ctx) {
                    for &c in &cols {
                        self.hit(t, r, c, h);
                    }
                }
            }
        }
        for i in 0..self.c.lists.len() {
            let (b, p) = &self.c.lists[i];
            if matches(*b) && p.eval(ctx) {
                self.lists[i].push(h);
            }
        }
    }

    /// Adds one member: `events` is the whole history in (date, recording) order, `seats`
    /// the committee seats the member held. Members without countable attributes are not
    /// given (the summary does not count them either).
    pub fn add_member(&mut self, p: &Person, events: &[EventLite], seats: &[SeatSpan]) {
        use MemberEventKind as K;
        let (prev, end) = (self.period.prev_end, self.period.end);
        // The date of joining: from the `joined` event when the system recorded it.
        let mut p = *p;
        p.join_date = join_date(&p, events);
        let stock_hit = |st: Option<&RosterState>| Hit {
            member_id: p.id,
            org_id: st.map(|s| s.org),
            date: None,
            event: None,
        };
        let mut st: Option<RosterState> = None;
        let mut had_ended = false;
        let mut i = 0;
        while i < events.len() && events[i].date <= prev {
            had_ended |= events[i].kind.ends_membership() && st.is_some();
            st = apply(st, &events[i]);
            i += 1;
        }
        let was = self.counted(st.as_ref(), prev).is_some();
        if was {
            self.t1_hit(r::PREV, stock_hit(st.as_ref()));
        }
        let mut net = 0i64;
        while i < events.len() && events[i].date <= end {
            let e = &events[i];
            let before = st;
            let rejoin = e.kind == K::Joined && had_ended;
            had_ended |= e.kind.ends_membership() && before.is_some();
            let after = apply(before, e);
            let h = Hit {
                member_id: p.id,
                org_id: None,
                date: Some(e.date),
                event: Some(e.kind),
            };
            self.flow(&p, e, before.as_ref(), after.as_ref(), seats, rejoin, h);
            // "Before" is the day before: an org dissolved on the day of the event still
            // held the member who is moved out of it that day.
            let eve = e.date.pred_opt().unwrap_or(e.date);
            let cb = self.counted(before.as_ref(), eve).is_some();
            let ca = self.counted(after.as_ref(), e.date).is_some();
            if cb != ca {
                let rows: &[usize] = match (ca, e.kind) {
                    (true, K::Joined) if rejoin => &[r::DEVELOP, r::REJOIN],
                    (true, K::Joined) => &[r::DEVELOP],
                    (true, K::Restored) => &[r::RESTORE, r::RESTORE_AFTER_SUSPENSION],
                    (true, K::TransferredIn | K::Moved) => &[r::TRANSFER_IN],
                    (
                        false,
                        K::Expelled | K::Withdrew | K::SelfWithdrawal | K::ProbationCancelled,
                    ) => &[r::LEAVE],
                    (false, K::Suspended) => &[r::SUSPEND],
                    (false, K::Died) => &[r::DEATH],
                    (false, K::TransferredOut | K::Moved) => &[r::TRANSFER_OUT],
                    _ => &[],
                };
                if !rows.is_empty() {
                    net += if ca { 1 } else { -1 };
                }
                let org = if ca { after } else { before }.map(|s| s.org);
                for &row in rows {
                    self.t1_hit(row, Hit { org_id: org, ..h });
                }
            }
            st = after;
            i += 1;
        }
        let now = self.counted(st.as_ref(), end).copied();
        let here = stock_hit(st.as_ref());
        if let (Some(o), Some(s)) = (now, st) {
            self.t1_hit(r::ACTUAL, here);
            let ctx = stock_ctx(&p, &o, s.probationary, seats, end);
            self.count(CBasis::Stock, &ctx, here);
        }
        if i64::from(now.is_some()) - i64::from(was) != net {
            // A change no event of the member explains (an org founded or dissolved with
            // members still in it, a back-dated correction): row 17 lists them.
            self.t1_hit(r::DIFF, here);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn flow(
        &mut self,
        p: &Person,
        e: &EventLite,
        before: Option<&RosterState>,
        after: Option<&RosterState>,
        seats: &[SeatSpan],
        rejoin: bool,
        h: Hit,
    ) {
        use MemberEventKind as K;
        // Counted by the org that handled it: the receiving org for admissions and
        // transfers in, otherwise the org that held the membership.
        let (org, probationary) = match e.kind {
            K::Joined => (e.org, true),
            K::TransferredIn => (e.org, e.probationary),
            K::Restored | K::Moved => (after.map(|s| s.org), after.is_some_and(|s| s.probationary)),
            // A suspended member is already out of the figures (T1 row 11): what happens
            // to them afterwards is not counted again.
            _ if before.is_some_and(|s| s.suspended) => return,
            _ => (
                before.map(|s| s.org),
                before.is_some_and(|s| s.probationary),
            ),
        };
        let Some(o) = org.and_then(|o| self.orgs.get(&o)).copied() else {
            return;
        };
        let mut ctx = stock_ctx(p, &o, probationary, seats, e.date);
        ctx.age = age_on(p.birth, self.period.end);
        ctx.event = bit(e.kind);
        ctx.rejoin = rejoin;
        self.count(CBasis::Flow(ctx.event), &ctx, Hit { org_id: org, ..h });
    }

    /// Derives T1's totals, runs the checks and returns the report with the drilled hits.
    pub fn finish(mut self) -> (AnnualReport, Vec<Hit>) {
        if let Some(t) = self.t1 {
            let c = &mut self.cells[t];
            let v = |c: &Vec<Vec<i64>>, i: usize| c[i][0];
            c[r::ADD][0] = v(c, r::DEVELOP) + v(c, r::RESTORE) + v(c, r::TRANSFER_IN);
            c[r::REMOVE][0] =
                v(c, r::LEAVE) + v(c, r::SUSPEND) + v(c, r::DEATH) + v(c, r::TRANSFER_OUT);
            // Row 17 counted the members no event explains; the printed figure is 16 − 15.
            c[r::EXPECTED][0] = v(c, r::PREV) + v(c, r::ADD) - v(c, r::REMOVE);
            c[r::DIFF][0] = v(c, r::ACTUAL) - v(c, r::EXPECTED);
        }
        let checks = self
            .def
            .checks
            .iter()
            .map(|ch| self.run_check(ch))
            .collect();
        let tables = self
            .def
            .tables
            .iter()
            .zip(std::mem::take(&mut self.cells))
            .map(|(t, cells)| TableOut {
                code: t.code.clone(),
                title: t.title.clone(),
                kind: t.kind,
                rows: t.rows.iter().map(line).collect(),
                cols: t.cols.iter().map(line).collect(),
                cells,
                notes: t.notes.clone(),
                reason: t.reason.clone(),
                derived_rows: if t.kind == TableKind::Reconciliation {
                    [r::ADD, r::REMOVE, r::EXPECTED]
                        .iter()
                        .map(|i| T1_ROWS[*i].0.to_string())
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect();
        let lists = self
            .def
            .lists
            .iter()
            .zip(std::mem::take(&mut self.lists))
            .map(|(l, hits)| ListOut {
                code: l.code.clone(),
                title: l.title.clone(),
                table: l.table.clone(),
                hits,
            })
            .collect();
        let report = AnnualReport {
            year: self.period.year,
            definition: self.def.name.clone(),
            source: self.def.source.clone(),
            org_id: self.org_id,
            org_name: self.org_name.clone(),
            period_start: self.period.start,
            period_end: self.period.end,
            tables,
            lists,
            checks,
        };
        (report, self.drilled)
    }

    fn cell(&self, t: usize, r: usize, c: usize) -> i64 {
        self.cells[t][r][c]
    }

    fn run_check(&self, ch: &CheckDef) -> CheckOut {
        let def = &self.def;
        // References were validated by `Compiled::new`; a miss reads as 0.
        let ti = |code: &str| self.c.index.get(code).copied().unwrap_or(0);
        let ci = |t: usize, k: &str| col_index(def, t, k).unwrap_or(0);
        let ri = |t: usize, k: &str| row_index(def, t, k).unwrap_or(0);
        let mut failures = Vec::new();
        let rule = match ch {
            CheckDef::ColsSum {
                table,
                target,
                parts,
            } => {
                let t = ti(table);
                for (r, row) in def.tables[t].rows.iter().enumerate() {
                    let a = self.cell(t, r, ci(t, target));
                    let b: i64 = parts.iter().map(|p| self.cell(t, r, ci(t, p))).sum();
                    if a != b {
                        failures.push(format!("第{}行：{target}列 {a}，各分列之和 {b}", row.key));
                    }
                }
                format!("{table}：{target} = {}（每一行）", parts.join(" + "))
            }
            CheckDef::ColsLe { table, small, big } => {
                let t = ti(table);
                for (r, row) in def.tables[t].rows.iter().enumerate() {
                    let (a, b) = (self.cell(t, r, ci(t, small)), self.cell(t, r, ci(t, big)));
                    if a > b {
                        failures.push(format!("第{}行：{small}列 {a} 大于 {big}列 {b}", row.key));
                    }
                }
                format!("{table}：{small} ≤ {big}（每一行）")
            }
            CheckDef::RowsSum {
                table,
                target,
                parts,
            } => {
                let t = ti(table);
                for (c, col) in def.tables[t].cols.iter().enumerate() {
                    let a = self.cell(t, ri(t, target), c);
                    let b: i64 = parts.iter().map(|p| self.cell(t, ri(t, p), c)).sum();
                    if a != b {
                        failures.push(format!("{}列：第{target}行 {a}，各分行之和 {b}", col.key));
                    }
                }
                format!(
                    "{table}：第{target}行 = 第{}行之和（每一列）",
                    parts.join("、")
                )
            }
            CheckDef::RowsLe { table, small, big } => {
                let t = ti(table);
                for (c, col) in def.tables[t].cols.iter().enumerate() {
                    let (a, b) = (self.cell(t, ri(t, small), c), self.cell(t, ri(t, big), c));
                    if a > b {
                        failures.push(format!("{}列：第{small}行 {a} 大于第{big}行 {b}", col.key));
                    }
                }
                format!("{table}：第{small}行 ≤ 第{big}行（每一列）")
            }
            CheckDef::CellEq { a, b } => {
                let get = |s: &str| {
                    self.c
                        .cell_ref(def, s)
                        .map(|(t, r, c)| self.cell(t, r, c))
                        .unwrap_or(0)
                };
                let (x, y) = (get(a), get(b));
                if x != y {
                    failures.push(format!("{a} = {x}，{b} = {y}"));
                }
                format!("{a} = {b}")
            }
            CheckDef::ColEq {
                table,
                col,
                other,
                other_col,
            } => {
                let (t, o) = (ti(table), ti(other));
                for (r, row) in def.tables[t].rows.iter().enumerate() {
                    let a = self.cell(t, r, ci(t, col));
                    let b = self.cell(o, ri(o, &row.key), ci(o, other_col));
                    if a != b {
                        failures.push(format!(
                            "第{}行：{table} {col}列 {a}，{other} {other_col}列 {b}",
                            row.key
                        ));
                    }
                }
                format!("{table} {col}列 = {other} {other_col}列（逐行）")
            }
        };
        CheckOut {
            rule,
            ok: failures.is_empty(),
            failures,
        }
    }
}

fn line(l: &super::LineDef) -> LineOut {
    LineOut {
        key: l.key.clone(),
        label: l.label.clone(),
    }
}

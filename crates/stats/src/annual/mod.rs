//! The annual statistical report (党内统计年报).
//!
//! The forms change from year to year, so the tables are **data**: one JSON definition per
//! range of report years (`defs/*.json`, embedded), each cell a predicate ([`Filter`]) over
//! a member on the report date (stocks) or over an event of the year (flows). The
//! [`Builder`] takes members one at a time with their whole event history — the same
//! histories the roster fold ([`jiceng_domain::member::state_at`]) reads — so the tables, the
//! two-year reconciliation (T1), the exception lists and the drill-down to names all come
//! from one pass and cannot disagree.

mod compute;
mod filter;

use serde::{Deserialize, Serialize};

pub use compute::{
    join_date, stock_ctx, stock_match, AnnualReport, Builder, CheckOut, Hit, LineOut, ListOut,
    OrgInfo, Period, Person, SeatSpan, TableOut, T1_ROWS,
};
pub use filter::{bit, Ctx, Filter, Pred};

/// A report definition that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefError {
    /// A code that is not in its table.
    #[error("报表定义中的代码不存在：{table} = {code}")]
    UnknownCode {
        /// Code table.
        table: &'static str,
        /// The code.
        code: String,
    },
    /// A check or list names a table, row or column that does not exist.
    #[error("报表定义引用了不存在的单元：{0}")]
    UnknownCell(String),
    /// The JSON does not parse.
    #[error("报表定义格式错误：{0}")]
    Format(String),
    /// No definition covers the year.
    #[error("没有 {0} 年的年报表定义")]
    NoDefinition(i32),
}

/// Which members or events a column (or list) counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Members on the roster on the last day of the period (counted by their org).
    Stock,
    /// Events of these kinds within the period (counted by the org that handled them).
    Flow(Vec<String>),
}

/// How a table is produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// Rows × columns of predicates.
    #[default]
    Cells,
    /// T1: last year's total, additions and removals by the events that caused them.
    Reconciliation,
    /// A table of the official set whose data Jiceng does not collect (yet): shown with
    /// the reason instead of zeros.
    NotCollected,
}

/// A row or column heading with its predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineDef {
    /// Row number or column letter as printed on the form.
    pub key: String,
    /// Heading.
    pub label: String,
    /// Predicate (everyone when absent).
    #[serde(default = "all")]
    pub when: Filter,
    /// Columns only: overrides the table's basis.
    #[serde(default)]
    pub basis: Option<Basis>,
}

fn all() -> Filter {
    Filter::All
}

/// One table of the set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableDef {
    /// Table code, e.g. `T2`.
    pub code: String,
    /// Title as on the form.
    pub title: String,
    /// How it is produced.
    #[serde(default)]
    pub kind: TableKind,
    /// Default basis of its columns.
    #[serde(default)]
    pub basis: Option<Basis>,
    /// Rows.
    #[serde(default)]
    pub rows: Vec<LineDef>,
    /// Columns.
    #[serde(default)]
    pub cols: Vec<LineDef>,
    /// Notes printed under the table (deviations from the official layout).
    #[serde(default)]
    pub notes: Vec<String>,
    /// For [`TableKind::NotCollected`]: why.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A named exception list (需要报说明的名单).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListDef {
    /// Code, e.g. `T2-2`.
    pub code: String,
    /// Title.
    pub title: String,
    /// The table it belongs to.
    pub table: String,
    /// Stock or flow.
    pub basis: Basis,
    /// Who is on it.
    pub when: Filter,
}

/// A check relationship (表内/表间关系). Cells are written
/// `T2/1/A` (table / row / column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckDef {
    /// In every row: `target` = Σ `parts` (columns).
    ColsSum {
        /// Table.
        table: String,
        /// Total column.
        target: String,
        /// Part columns.
        parts: Vec<String>,
    },
    /// In every row: `small` ≤ `big` (columns).
    ColsLe {
        /// Table.
        table: String,
        /// Subset column.
        small: String,
        /// Superset column.
        big: String,
    },
    /// In every column: `target` = Σ `parts` (rows).
    RowsSum {
        /// Table.
        table: String,
        /// Total row.
        target: String,
        /// Part rows.
        parts: Vec<String>,
    },
    /// In every column: `small` ≤ `big` (rows).
    RowsLe {
        /// Table.
        table: String,
        /// Subset row.
        small: String,
        /// Superset row.
        big: String,
    },
    /// Two cells equal.
    CellEq {
        /// First cell.
        a: String,
        /// Second cell.
        b: String,
    },
    /// A column equals a column of another table, row by row (same row keys).
    ColEq {
        /// Table.
        table: String,
        /// Column.
        col: String,
        /// Other table.
        other: String,
        /// Its column.
        other_col: String,
    },
}

/// A definition of the report set for a range of years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDef {
    /// Name shown on the report.
    pub name: String,
    /// First report year it applies to.
    pub from_year: i32,
    /// Last report year it applies to (open when absent).
    #[serde(default)]
    pub to_year: Option<i32>,
    /// Where the layout comes from.
    pub source: String,
    /// Tables in form order.
    pub tables: Vec<TableDef>,
    /// Exception lists.
    #[serde(default)]
    pub lists: Vec<ListDef>,
    /// Checks.
    #[serde(default)]
    pub checks: Vec<CheckDef>,
}

/// The embedded definitions, oldest first.
const DEFINITIONS: &[&str] = &[include_str!("defs/2017.json")];

impl ReportDef {
    /// Parses and validates a definition (every code known, every referenced cell present).
    pub fn parse(json: &str) -> Result<ReportDef, DefError> {
        let def: ReportDef =
            serde_json::from_str(json).map_err(|e| DefError::Format(e.to_string()))?;
        compute::Compiled::new(&def)?;
        Ok(def)
    }

    /// Every embedded definition.
    pub fn embedded() -> Result<Vec<ReportDef>, DefError> {
        DEFINITIONS.iter().map(|j| ReportDef::parse(j)).collect()
    }

    /// The embedded definition covering report year `year`.
    pub fn for_year(year: i32) -> Result<ReportDef, DefError> {
        Self::embedded()?
            .into_iter()
            .rev()
            .find(|d| d.from_year <= year && d.to_year.is_none_or(|t| year <= t))
            .ok_or(DefError::NoDefinition(year))
    }
}

#[cfg(test)]
mod tests;

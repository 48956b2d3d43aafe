//! Cell predicates of the report definitions: written as data (serde) in the yearly
//! definition files, compiled once to bit masks so that evaluating a cell for a member is a
//! handful of integer tests, and shared with the dashboard's drill-down to names.

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{Education, MemberEventKind, Occupation, VillagePost};
use jiceng_domain::org::{CommitteeRole, Field};
use serde::{Deserialize, Serialize};

use super::DefError;

/// A predicate as written in a definition file, e.g. `{"age": {"min": 31, "max": 35}}`,
/// `"female"`, `{"and": [{"occupation": ["student"]}, {"age": {"min": 55}}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// Everyone.
    All,
    /// Negation.
    Not(Box<Filter>),
    /// Conjunction.
    And(Vec<Filter>),
    /// Disjunction.
    Or(Vec<Filter>),
    /// Probationary (预备党员) on the date.
    Probationary,
    /// Women.
    Female,
    /// Ethnic minorities (not 汉族).
    Minority,
    /// Whole years of age on the report date, inclusive bounds.
    Age {
        /// Youngest age included.
        #[serde(default)]
        min: Option<i32>,
        /// Oldest age included.
        #[serde(default)]
        max: Option<i32>,
    },
    /// Date of joining in `[from, before)` (half-open).
    Joined {
        /// First day included.
        #[serde(default)]
        from: Option<NaiveDate>,
        /// First day excluded.
        #[serde(default)]
        before: Option<NaiveDate>,
    },
    /// No date of joining recorded.
    JoinUnknown,
    /// Education column codes ([`Education`]).
    Education(Vec<String>),
    /// Occupation class codes ([`Occupation`]).
    Occupation(Vec<String>),
    /// Field of the org counting the member.
    Field(Vec<String>),
    /// Field of that org's parent.
    ParentField(Vec<String>),
    /// Field of that org or any org above it.
    AncestorField(Vec<String>),
    /// Post in the village two committees ([`VillagePost`]).
    VillagePost(Vec<String>),
    /// Committee seat held on the date ([`CommitteeRole`]), any role when empty.
    Seat(Vec<String>),
    /// The event being counted (flow tables), [`MemberEventKind`] codes.
    Event(Vec<String>),
    /// A `joined` event for someone whose membership had ended before (重新入党).
    Rejoin,
}

/// A compiled [`Filter`].
#[derive(Debug, Clone, PartialEq)]
pub enum Pred {
    /// Everyone.
    True,
    /// Negation.
    Not(Box<Pred>),
    /// Conjunction.
    And(Vec<Pred>),
    /// Disjunction.
    Or(Vec<Pred>),
    /// Probationary.
    Probationary,
    /// Women.
    Female,
    /// Minorities.
    Minority,
    /// Age bounds.
    Age(i32, i32),
    /// Join date range (half-open); `None` bounds are open.
    Joined(Option<NaiveDate>, Option<NaiveDate>),
    /// Join date unknown.
    JoinUnknown,
    /// Education mask.
    Education(u32),
    /// Occupation mask.
    Occupation(u32),
    /// Field mask of the org.
    Field(u32),
    /// Field mask of the parent org.
    ParentField(u32),
    /// Field mask of the org and its ancestors.
    AncestorField(u32),
    /// Village post mask.
    VillagePost(u32),
    /// Committee role mask.
    Seat(u32),
    /// Event kind mask.
    Event(u32),
    /// Rejoining.
    Rejoin,
}

/// Bit of a coded value in a mask over its table.
pub fn bit<T: Coded + PartialEq>(v: T) -> u32 {
    1 << crate::summary::code_index(v)
}

fn mask<T: Coded + PartialEq>(codes: &[String], table: &'static str) -> Result<u32, DefError> {
    if codes.is_empty() && table == "seat" {
        return Ok(u32::MAX);
    }
    let mut m = 0;
    for c in codes {
        let v = T::from_code(c).ok_or_else(|| DefError::UnknownCode {
            table,
            code: c.clone(),
        })?;
        m |= bit(v);
    }
    Ok(m)
}

impl Filter {
    /// Compiles to a [`Pred`], rejecting unknown codes.
    pub fn compile(&self) -> Result<Pred, DefError> {
        Ok(match self {
            Filter::All => Pred::True,
            Filter::Not(f) => Pred::Not(Box::new(f.compile()?)),
            Filter::And(v) => Pred::And(v.iter().map(Filter::compile).collect::<Result<_, _>>()?),
            Filter::Or(v) => Pred::Or(v.iter().map(Filter::compile).collect::<Result<_, _>>()?),
            Filter::Probationary => Pred::Probationary,
            Filter::Female => Pred::Female,
            Filter::Minority => Pred::Minority,
            Filter::Age { min, max } => Pred::Age(min.unwrap_or(i32::MIN), max.unwrap_or(i32::MAX)),
            Filter::Joined { from, before } => Pred::Joined(*from, *before),
            Filter::JoinUnknown => Pred::JoinUnknown,
            Filter::Education(c) => Pred::Education(mask::<Education>(c, "education")?),
            Filter::Occupation(c) => Pred::Occupation(mask::<Occupation>(c, "occupation")?),
            Filter::Field(c) => Pred::Field(mask::<Field>(c, "field")?),
            Filter::ParentField(c) => Pred::ParentField(mask::<Field>(c, "field")?),
            Filter::AncestorField(c) => Pred::AncestorField(mask::<Field>(c, "field")?),
            Filter::VillagePost(c) => Pred::VillagePost(mask::<VillagePost>(c, "village_post")?),
            Filter::Seat(c) => Pred::Seat(mask::<CommitteeRole>(c, "seat")?),
            Filter::Event(c) => Pred::Event(mask::<MemberEventKind>(c, "event")?),
            Filter::Rejoin => Pred::Rejoin,
        })
    }
}

/// What a predicate looks at: one member (or one event of a member) on the report date.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Probationary on the date (flows: just before the event; `joined`: true).
    pub probationary: bool,
    /// Woman.
    pub female: bool,
    /// Minority.
    pub minority: bool,
    /// Whole years of age on the report date.
    pub age: i32,
    /// Date of joining.
    pub joined: Option<NaiveDate>,
    /// Education bit.
    pub education: u32,
    /// Occupation bit.
    pub occupation: u32,
    /// Field bit of the counting org.
    pub field: u32,
    /// Field bit of its parent (0 at the top).
    pub parent_field: u32,
    /// Field bits of the org and every org above it.
    pub ancestor_fields: u32,
    /// Village post bit (0 when none).
    pub village_post: u32,
    /// Committee roles held on the date.
    pub seats: u32,
    /// The event counted (0 for stocks).
    pub event: u32,
    /// A `joined` event after an earlier membership ended.
    pub rejoin: bool,
}

impl Pred {
    /// Whether the member (or event) in `c` satisfies the predicate.
    pub fn eval(&self, c: &Ctx) -> bool {
        match self {
            Pred::True => true,
            Pred::Not(p) => !p.eval(c),
            Pred::And(v) => v.iter().all(|p| p.eval(c)),
            Pred::Or(v) => v.iter().any(|p| p.eval(c)),
            Pred::Probationary => c.probationary,
            Pred::Female => c.female,
            Pred::Minority => c.minority,
            Pred::Age(lo, hi) => (*lo..=*hi).contains(&c.age),
            Pred::Joined(from, before) => c
                .joined
                .is_some_and(|j| from.is_none_or(|f| j >= f) && before.is_none_or(|b| j < b)),
            Pred::JoinUnknown => c.joined.is_none(),
            Pred::Education(m) => c.education & m != 0,
            Pred::Occupation(m) => c.occupation & m != 0,
            Pred::Field(m) => c.field & m != 0,
            Pred::ParentField(m) => c.parent_field & m != 0,
            Pred::AncestorField(m) => c.ancestor_fields & m != 0,
            Pred::VillagePost(m) => c.village_post & m != 0,
            Pred::Seat(m) => c.seats & m != 0,
            Pred::Event(m) => c.event & m != 0,
            Pred::Rejoin => c.rejoin,
        }
    }
}

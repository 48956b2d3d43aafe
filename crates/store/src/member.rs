//! Members: person records with encrypted ID numbers, dated lifecycle events
//! folded into current state, scoped search and optimistic concurrency.

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::member::{
    self as dm, Education, EventLite, Gender, MemberEventKind, MemberStatus, Occupation,
    VillagePost,
};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::sql::{path_upper, Sql};
use crate::{opt_trim, parse_date, Page, Paging, Store};

/// A member as shown (ID number masked unless the scope may see it).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct MemberView {
    /// Id.
    pub id: i64,
    /// Current org (None after leaving).
    pub org_id: Option<i64>,
    /// Current org name.
    pub org_name: Option<String>,
    /// On the roster now.
    pub active: bool,
    /// `probationary` or `full` while on the roster.
    pub status: Option<String>,
    /// Name.
    pub name: String,
    /// Pinyin initials (search key).
    pub name_initials: String,
    /// Gender code (GB/T 2261.1: 1 男, 2 女).
    pub gender: String,
    /// Ethnicity code (GB/T 3304).
    pub ethnicity: String,
    /// Ethnicity name.
    pub ethnicity_zh: String,
    /// Birth date.
    pub birth_date: String,
    /// ID number, masked (`110***********002X`) unless the role may see it.
    pub id_number: Option<String>,
    /// Whether `id_number` is masked.
    pub id_masked: bool,
    /// Native place (籍贯).
    pub native_place: Option<String>,
    /// Education code.
    pub education: String,
    /// Occupation code.
    pub occupation: String,
    /// Phone.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Date joined as probationary member.
    pub join_date: Option<String>,
    /// Date became full member.
    pub full_date: Option<String>,
    /// Date left the roster.
    pub left_date: Option<String>,
    /// Why left (event kind).
    pub left_kind: Option<String>,
    /// Village two-committee post.
    pub village_post: Option<String>,
    /// Floating member (away).
    pub floating: bool,
    /// Retired.
    pub retired: bool,
    /// Joined before 1949-10-01.
    pub pre1949_veteran: bool,
    /// In difficulty.
    pub in_difficulty: bool,
    /// Holds an office (有职).
    pub holds_office: bool,
    /// Membership suspended (停止党籍).
    pub suspended: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A new member record. `entry` says how they arrive: `joined` (admitted as probationary
/// on `join_date`, converted on `full_date` if given) or `transferred_in` (with letter).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewMember {
    /// Org receiving the member.
    pub org_id: i64,
    /// Name.
    pub name: String,
    /// Gender code or label.
    pub gender: String,
    /// Ethnicity code or name (default 汉族).
    pub ethnicity: Option<String>,
    /// Birth date.
    pub birth_date: String,
    /// ID number (GB 11643), optional.
    pub id_number: Option<String>,
    /// Native place.
    pub native_place: Option<String>,
    /// Education code or label.
    pub education: String,
    /// Occupation code or label.
    pub occupation: String,
    /// Phone.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Date admitted as probationary member.
    pub join_date: String,
    /// Date became full member.
    pub full_date: Option<String>,
    /// `joined` (default) or `transferred_in`.
    pub entry: Option<String>,
    /// Date of transfer in (for `transferred_in`; default today).
    pub entry_date: Option<String>,
    /// Introduction letter number (for `transferred_in`).
    pub letter_no: Option<String>,
    /// Village post.
    pub village_post: Option<String>,
    /// Retired.
    #[serde(default)]
    pub retired: bool,
    /// In difficulty.
    #[serde(default)]
    pub in_difficulty: bool,
    /// Holds an office.
    #[serde(default)]
    pub holds_office: bool,
}

/// Attribute changes; recorded as an `updated` event with before and after.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MemberPatch {
    /// Version read (stale → 409).
    pub version: i64,
    /// Name.
    pub name: Option<String>,
    /// Gender.
    pub gender: Option<String>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Birth date.
    pub birth_date: Option<String>,
    /// ID number (empty string removes it).
    pub id_number: Option<String>,
    /// Native place.
    pub native_place: Option<String>,
    /// Education.
    pub education: Option<String>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Village post (empty string clears it).
    pub village_post: Option<String>,
    /// Retired.
    pub retired: Option<bool>,
    /// In difficulty.
    pub in_difficulty: Option<bool>,
    /// Holds an office.
    pub holds_office: Option<bool>,
    /// Effective date of the change (default today).
    pub date: Option<String>,
}

/// A lifecycle event to record.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewMemberEvent {
    /// Version read (stale → 409).
    pub version: i64,
    /// Event kind code (`converted`, `moved`, `transferred_out`, `died`, …).
    pub kind: String,
    /// Effective date.
    pub date: String,
    /// Target org (`moved`, `transferred_in`, `joined`).
    pub org_id: Option<i64>,
    /// Introduction letter number (transfers).
    pub letter_no: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// For `transferred_in`: arrives as probationary.
    #[serde(default)]
    pub probationary: bool,
}

/// A recorded member event.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberEvent {
    /// Id.
    pub id: i64,
    /// Kind code.
    pub kind: String,
    /// Kind label.
    pub kind_zh: String,
    /// Effective date.
    pub date: String,
    /// Org concerned.
    pub org_id: Option<i64>,
    /// That org's current name.
    pub org_name: Option<String>,
    /// Details (letter number, note, changed fields).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// When it was recorded.
    pub recorded_at: String,
}

/// Roster filters (all optional; `org` limits to a subtree).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct MemberFilter {
    /// Subtree root org id.
    pub org: Option<i64>,
    /// Search: name, pinyin initials, phone, ID tail (4+ chars) or full ID number.
    pub q: Option<String>,
    /// Gender code.
    pub gender: Option<String>,
    /// Ethnicity code; `minority` for all but 汉族.
    pub ethnicity: Option<String>,
    /// Education code.
    pub education: Option<String>,
    /// Occupation code.
    pub occupation: Option<String>,
    /// `probationary` or `full`.
    pub status: Option<String>,
    /// Village post code; `any` for all village cadres.
    pub village_post: Option<String>,
    /// Minimum age today.
    pub age_min: Option<i32>,
    /// Maximum age today.
    pub age_max: Option<i32>,
    /// Joined on or after.
    pub join_from: Option<String>,
    /// Joined on or before.
    pub join_to: Option<String>,
    /// Floating.
    pub floating: Option<bool>,
    /// Retired.
    pub retired: Option<bool>,
    /// Pre-1949 veteran.
    pub pre1949_veteran: Option<bool>,
    /// In difficulty.
    pub in_difficulty: Option<bool>,
    /// Holds an office.
    pub holds_office: Option<bool>,
    /// Include members who have left (default: roster only).
    pub include_left: Option<bool>,
    /// Sort: `name`, `birth_date`, `join_date`, `org` (default).
    pub sort: Option<String>,
    /// Page (from 1).
    pub page: Option<i64>,
    /// Page size (≤ 500).
    pub page_size: Option<i64>,
    /// Born on or after (YYYY-MM-DD).
    pub birth_from: Option<String>,
    /// Born on or before (YYYY-MM-DD).
    pub birth_to: Option<String>,
    /// Native place contains.
    pub native_place: Option<String>,
    /// Became full member on or after.
    pub full_from: Option<String>,
    /// Became full member on or before.
    pub full_to: Option<String>,
    /// Export only: show full ID numbers (only for roles allowed to see them; audited).
    pub reveal: Option<bool>,
}

const MEMBER_COLS: &str = "m.id, m.org_id, o.name, m.active, m.status, m.name, m.name_initials, m.gender, m.ethnicity, m.birth_date, m.id_enc, m.native_place, m.education, m.occupation, m.phone, m.address, m.join_date, m.full_date, m.left_date, m.left_kind, m.village_post, m.floating, m.retired, m.pre1949_veteran, m.in_difficulty, m.holds_office, m.version, o.path, m.suspended";

pub(crate) struct Validated {
    pub(crate) name: String,
    pub(crate) initials: String,
    pub(crate) pinyin: String,
    pub(crate) gender: Gender,
    pub(crate) ethnicity: String,
    pub(crate) birth: NaiveDate,
    pub(crate) id: Option<String>,
    pub(crate) education: Education,
    pub(crate) occupation: Occupation,
    pub(crate) village_post: Option<VillagePost>,
    pub(crate) phone: Option<String>,
}

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg)
}

/// Checks and normalizes a person's fields (members and applicants alike).
#[allow(clippy::too_many_arguments)]
pub(crate) fn validate(
    name: &str,
    gender: &str,
    ethnicity: Option<&str>,
    birth: &str,
    id: Option<&str>,
    education: &str,
    occupation: &str,
    village_post: Option<&str>,
    phone: Option<&str>,
) -> Result<Validated> {
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(bad("member.name_invalid", "姓名不能为空，且不超过 50 字"));
    }
    let gender =
        Gender::parse(gender).ok_or_else(|| bad("member.gender_invalid", "性别应为 男 或 女"))?;
    let ethnicity = jiceng_domain::ethnicity::normalize(ethnicity.unwrap_or("01"))
        .ok_or_else(|| {
            bad(
                "member.ethnicity_invalid",
                format!("未知民族：{}", ethnicity.unwrap_or("")),
            )
        })?
        .to_string();
    let birth = parse_date(birth, "出生")?;
    if birth > crate::today() || birth < NaiveDate::from_ymd_opt(1880, 1, 1).unwrap_or(birth) {
        return Err(bad("member.birth_date_invalid", "出生日期不合理"));
    }
    let id = match id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => {
            let parsed =
                jiceng_domain::idcard::parse(raw).map_err(|e| bad(e.code(), e.to_string()))?;
            jiceng_domain::idcard::check_against(&parsed, birth, gender)
                .map_err(|e| bad(e.code(), e.to_string()))?;
            Some(parsed.normalized)
        }
        None => None,
    };
    let education = Education::parse(education)
        .ok_or_else(|| bad("member.education_invalid", format!("未知学历：{education}")))?;
    let occupation = Occupation::parse(occupation).ok_or_else(|| {
        bad(
            "member.occupation_invalid",
            format!("未知职业类别：{occupation}"),
        )
    })?;
    let village_post = match village_post.map(str::trim).filter(|s| !s.is_empty()) {
        Some(v) => Some(VillagePost::parse(v).ok_or_else(|| {
            bad(
                "member.village_post_invalid",
                format!("未知村干部职务：{v}"),
            )
        })?),
        None => None,
    };
    let phone = phone
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(p) = &phone {
        if p.len() < 7
            || p.len() > 20
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
        {
            return Err(bad("member.phone_invalid", "联系电话格式不正确"));
        }
    }
    Ok(Validated {
        initials: jiceng_domain::pinyin_key::initials(&name),
        pinyin: jiceng_domain::pinyin_key::full(&name),
        name,
        gender,
        ethnicity,
        birth,
        id,
        education,
        occupation,
        village_post,
        phone,
    })
}

impl Store {
    /// A member row as a view. The ID number is masked (`dm::mask_id`, the one masking
    /// format) unless `unmask` is asked for and the scope may see full numbers: screens and
    /// lists never unmask (a full number is revealed one at a time, audited, by
    /// [`Store::reveal_member_id`]); writes read the stored number internally; an export
    /// unmasks only when the caller asks for it.
    fn member_from_row(&self, scope: &Scope, r: &AnyRow, unmask: bool) -> Result<MemberView> {
        let enc: Option<String> = r.try_get(10)?;
        let path: Option<String> = r.try_get(27)?;
        let reveal = unmask && path.as_deref().is_some_and(|p| scope.may_reveal_id(p));
        let id_plain = match enc {
            Some(e) => Some(self.crypto.decrypt(&e)?),
            None => None,
        };
        let eth: String = r.try_get(8)?;
        Ok(MemberView {
            id: r.try_get(0)?,
            org_id: r.try_get(1)?,
            org_name: r.try_get(2)?,
            active: r.try_get::<i64, _>(3)? != 0,
            status: r.try_get(4)?,
            name: r.try_get(5)?,
            name_initials: r.try_get(6)?,
            gender: r.try_get(7)?,
            ethnicity_zh: jiceng_domain::ethnicity::name(&eth)
                .unwrap_or("")
                .to_string(),
            ethnicity: eth,
            birth_date: r.try_get(9)?,
            id_masked: id_plain.is_some() && !reveal,
            id_number: id_plain.map(|p| if reveal { p } else { dm::mask_id(&p) }),
            native_place: r.try_get(11)?,
            education: r.try_get(12)?,
            occupation: r.try_get(13)?,
            phone: r.try_get(14)?,
            address: r.try_get(15)?,
            join_date: r.try_get(16)?,
            full_date: r.try_get(17)?,
            left_date: r.try_get(18)?,
            left_kind: r.try_get(19)?,
            village_post: r.try_get(20)?,
            floating: r.try_get::<i64, _>(21)? != 0,
            retired: r.try_get::<i64, _>(22)? != 0,
            pre1949_veteran: r.try_get::<i64, _>(23)? != 0,
            in_difficulty: r.try_get::<i64, _>(24)? != 0,
            holds_office: r.try_get::<i64, _>(25)? != 0,
            suspended: r.try_get::<i64, _>(28)? != 0,
            version: r.try_get(26)?,
        })
    }

    /// Member read filter: subtrees of staff roles, plus the own record for self-service.
    fn filter_member_read(scope: &Scope, q: &mut Sql) {
        if scope.is_system() {
            return;
        }
        q.push(" AND ((1=1");
        scope.filter_paths(q, "mo.path", Action::MemberRead);
        q.push(")");
        if let Some(mid) = scope.member_id {
            q.push(" OR m.id = ").bind(mid);
        }
        q.push(")");
    }

    /// The org whose scope governs a member: the current org, or for someone who has
    /// left, the org of their last event.
    const SCOPE_JOIN: &'static str = " LEFT JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs mo ON mo.id = COALESCE(m.org_id, (SELECT e.org_id FROM member_events e WHERE e.member_id = m.id AND e.org_id IS NOT NULL ORDER BY e.date DESC, e.id DESC LIMIT 1))";

    /// Reads one member the scope may see (404 otherwise). The ID number is masked for
    /// every user (the system scope of the command line reads it whole).
    pub async fn get_member(&self, scope: &Scope, id: i64) -> Result<MemberView> {
        let mut q = Sql::new("SELECT ");
        q.push(&MEMBER_COLS.replace("o.path", "mo.path"))
            .push(" FROM members m")
            .push(Self::SCOPE_JOIN)
            .push(" WHERE m.id = ")
            .bind(id);
        Self::filter_member_read(scope, &mut q);
        let r = q
            .query()
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        self.member_from_row(scope, &r, scope.is_system())
    }

    /// Shows one member's full ID number to a role allowed to see it (`Scope::may_reveal_id`:
    /// admin and the organization department within their grant): 404 out of read scope,
    /// 403 without the right; every reveal is audited (`member.reveal_id`, with the optional
    /// reason; the audit row never holds the number). `None` when no number is on file.
    pub async fn reveal_member_id(
        &self,
        scope: &Scope,
        id: i64,
        reason: Option<&str>,
    ) -> Result<Option<String>> {
        let m = self.get_member(scope, id).await?;
        let mut tx = self.db.begin().await?;
        let mut q = Sql::new("SELECT m.id_enc, mo.path FROM members m");
        q.push(Self::SCOPE_JOIN).push(" WHERE m.id = ").bind(id);
        let r = q
            .query()
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let enc: Option<String> = r.try_get(0)?;
        let path: Option<String> = r.try_get(1)?;
        let path = path.ok_or(StoreError::NotFound)?;
        if !scope.may_reveal_id(&path) {
            return Err(StoreError::Forbidden);
        }
        let plain = match enc {
            Some(e) => Some(self.crypto.decrypt(&e)?),
            None => None,
        };
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if reason.is_some_and(|r| r.chars().count() > 200) {
            return Err(bad(
                "member.reveal_reason_length",
                "查看事由不能超过 200 字",
            ));
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "member.reveal_id",
                entity: "member",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::json!({
                    "name": m.name,
                    "id_number": m.id_number,
                    "reason": reason,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(plain)
    }

    /// Searches the roster within scope (ID numbers masked, see [`Store::get_member`]).
    pub async fn list_members(&self, scope: &Scope, f: &MemberFilter) -> Result<Page<MemberView>> {
        self.list_members_as(scope, f, scope.is_system()).await
    }

    /// The roster search; `unmask` shows full numbers where the scope may see them.
    async fn list_members_as(
        &self,
        scope: &Scope,
        f: &MemberFilter,
        unmask: bool,
    ) -> Result<Page<MemberView>> {
        let page = Paging::new(f.page, f.page_size);
        let under = match f.org {
            Some(id) => Some(self.get_org(scope, id).await?.path),
            None => None,
        };
        let today = self.reference_date().await?;
        let id_hash =
            f.q.as_deref()
                .and_then(|q| jiceng_domain::idcard::parse(q).ok())
                .map(|p| self.crypto.blind_index(&p.normalized));
        let build = |q: &mut Sql| -> Result<()> {
            q.push(" FROM members m")
                .push(Self::SCOPE_JOIN)
                .push(" WHERE 1=1");
            Self::filter_member_read(scope, q);
            if let Some(p) = &under {
                q.push(" AND mo.path >= ")
                    .bind(p.as_str())
                    .push(" AND mo.path < ")
                    .bind(path_upper(p));
            }
            if !f.include_left.unwrap_or(false) {
                q.push(" AND m.active = ").bind(1i64);
            }
            if let Some(s) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                if let Some(h) = &id_hash {
                    q.push(" AND m.id_hash = ").bind(h.as_str());
                } else {
                    let lower = s.to_lowercase();
                    q.push(" AND (m.name LIKE ").bind(format!("%{s}%"));
                    if lower.chars().all(|c| c.is_ascii_alphabetic()) {
                        q.push(" OR m.name_initials LIKE ")
                            .bind(format!("{lower}%"));
                        q.push(" OR m.name_pinyin LIKE ").bind(format!("{lower}%"));
                    }
                    if s.chars()
                        .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x')
                        && s.len() >= 4
                    {
                        q.push(" OR m.phone LIKE ").bind(format!("%{s}%"));
                        if s.len() == 4 {
                            q.push(" OR m.id_tail = ").bind(s.to_uppercase());
                        }
                    }
                    q.push(")");
                }
            }
            let eq = |q: &mut Sql, col: &str, v: &Option<String>| {
                if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                    q.push(" AND ").push(col).push(" = ").bind(v);
                }
            };
            if let Some(g) = f.gender.as_deref().filter(|v| !v.is_empty()) {
                let g = Gender::parse(g)
                    .ok_or_else(|| bad("member.gender_invalid", "性别应为 男 或 女"))?;
                q.push(" AND m.gender = ").bind(g.code());
            }
            match f.ethnicity.as_deref() {
                Some("minority") => {
                    q.push(" AND m.ethnicity <> ").bind("01");
                }
                other => eq(q, "m.ethnicity", &other.map(str::to_string)),
            }
            eq(q, "m.education", &f.education);
            eq(q, "m.occupation", &f.occupation);
            eq(q, "m.status", &f.status);
            match f.village_post.as_deref() {
                Some("any") => {
                    q.push(" AND m.village_post IS NOT NULL");
                }
                other => eq(q, "m.village_post", &other.map(str::to_string)),
            }
            if let Some(a) = f.age_min {
                // age ≥ a  ⇔  born on or before today − a years
                let d = today
                    .checked_sub_months(chrono::Months::new(12 * a.max(0) as u32))
                    .unwrap_or(today);
                q.push(" AND m.birth_date <= ").bind(d.to_string());
            }
            if let Some(a) = f.age_max {
                // age ≤ a  ⇔  born after today − (a+1) years
                let d = today
                    .checked_sub_months(chrono::Months::new(12 * (a.max(0) as u32 + 1)))
                    .unwrap_or(today);
                q.push(" AND m.birth_date > ").bind(d.to_string());
            }
            if let Some(d) = &f.birth_from {
                q.push(" AND m.birth_date >= ")
                    .bind(parse_date(d, "出生起始")?.to_string());
            }
            if let Some(d) = &f.birth_to {
                q.push(" AND m.birth_date <= ")
                    .bind(parse_date(d, "出生截止")?.to_string());
            }
            if let Some(d) = &f.full_from {
                q.push(" AND m.full_date >= ")
                    .bind(parse_date(d, "转正起始")?.to_string());
            }
            if let Some(d) = &f.full_to {
                q.push(" AND m.full_date <= ")
                    .bind(parse_date(d, "转正截止")?.to_string());
            }
            if let Some(n) = f
                .native_place
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                q.push(" AND m.native_place LIKE ").bind(format!("%{n}%"));
            }
            if let Some(d) = &f.join_from {
                q.push(" AND m.join_date >= ")
                    .bind(parse_date(d, "入党起始")?.to_string());
            }
            if let Some(d) = &f.join_to {
                q.push(" AND m.join_date <= ")
                    .bind(parse_date(d, "入党截止")?.to_string());
            }
            for (col, v) in [
                ("m.floating", f.floating),
                ("m.retired", f.retired),
                ("m.pre1949_veteran", f.pre1949_veteran),
                ("m.in_difficulty", f.in_difficulty),
                ("m.holds_office", f.holds_office),
            ] {
                if let Some(v) = v {
                    q.push(" AND ").push(col).push(" = ").bind(v);
                }
            }
            Ok(())
        };
        let mut c = Sql::new("SELECT COUNT(*)");
        build(&mut c)?;
        let total: i64 = c.scalar::<i64>().fetch_one(self.db.pool()).await?;
        let mut q = Sql::new("SELECT ");
        q.push(&MEMBER_COLS.replace("o.path", "mo.path"));
        build(&mut q)?;
        let order = match f.sort.as_deref() {
            Some("name") => " ORDER BY m.name_pinyin, m.id",
            Some("birth_date") => " ORDER BY m.birth_date, m.id",
            Some("join_date") => " ORDER BY m.join_date, m.id",
            _ => " ORDER BY mo.path, m.id",
        };
        q.push(order)
            .push(" LIMIT ")
            .bind(page.limit())
            .push(" OFFSET ")
            .bind(page.offset());
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let items = rows
            .iter()
            .map(|r| self.member_from_row(scope, r, unmask))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, total, page))
    }

    async fn member_org_for_write(tx: &mut Tx, scope: &Scope, org_id: i64) -> Result<String> {
        let r = sqlx::query("SELECT path, kind, dissolved FROM orgs WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let path: String = r.try_get(0)?;
        if !scope.allows(Action::OrgRead, &path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &path) {
            return Err(StoreError::Forbidden);
        }
        let kind: String = r.try_get(1)?;
        let dissolved: Option<String> = r.try_get(2)?;
        if dissolved.is_some() {
            return Err(bad("member.org_dissolved", "该党组织已撤销，不能接收党员"));
        }
        crate::org::check_holds_members(&kind)?;
        Ok(path)
    }

    async fn check_duplicate_id(tx: &mut Tx, hash: &str, except: Option<i64>) -> Result<()> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE id_hash = $1 AND id <> $2")
                .bind(hash)
                .bind(except.unwrap_or(-1))
                .fetch_one(&mut **tx)
                .await?;
        if n > 0 {
            return Err(StoreError::Duplicate("该身份证号码已有党员记录".into()));
        }
        Ok(())
    }

    /// Creates a member with their entry events (joined [+ converted] or transferred in).
    pub async fn create_member(&self, scope: &Scope, n: &NewMember) -> Result<MemberView> {
        let today = self.reference_date().await?;
        let mut tx = self.db.begin().await?;
        let id = self.create_member_in(&mut tx, scope, n, today).await?;
        tx.commit().await?;
        self.stats_member_changed(id).await;
        self.get_member(scope, id).await
    }

    /// [`Store::create_member`] inside the caller's transaction (the development pipeline
    /// admits a member in the same transaction as the approval step). `today` is the
    /// deployment's reference date, read before the transaction. The caller commits and
    /// then calls `stats_member_changed`.
    pub(crate) async fn create_member_in(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        n: &NewMember,
        today: NaiveDate,
    ) -> Result<i64> {
        let v = validate(
            &n.name,
            &n.gender,
            n.ethnicity.as_deref(),
            &n.birth_date,
            n.id_number.as_deref(),
            &n.education,
            &n.occupation,
            n.village_post.as_deref(),
            n.phone.as_deref(),
        )?;
        let join = parse_date(&n.join_date, "入党")?;
        if jiceng_domain::age::age_on(v.birth, join) < 18 {
            return Err(bad(
                "member.join_under_18",
                "入党时须年满十八岁（《党章》第一条）",
            ));
        }
        if join > today {
            return Err(bad("member.join_future", "入党日期不能晚于今天"));
        }
        let full = match opt_trim(&n.full_date) {
            Some(f) => {
                let f = parse_date(&f, "转正")?;
                if f < join
                    .checked_add_months(chrono::Months::new(12))
                    .unwrap_or(join)
                {
                    return Err(bad(
                        "member.full_before_probation_end",
                        "转正日期不能早于预备期满（入党之日起一年）",
                    ));
                }
                if f > today {
                    return Err(bad("member.full_future", "转正日期不能晚于今天"));
                }
                Some(f)
            }
            None => None,
        };
        let entry = n.entry.as_deref().unwrap_or("joined");
        let mut events: Vec<(MemberEventKind, NaiveDate, Option<i64>, serde_json::Value)> =
            Vec::new();
        match entry {
            "joined" => {
                events.push((
                    MemberEventKind::Joined,
                    join,
                    Some(n.org_id),
                    serde_json::json!({}),
                ));
                if let Some(f) = full {
                    events.push((MemberEventKind::Converted, f, None, serde_json::json!({})));
                }
            }
            "transferred_in" => {
                let d = match &n.entry_date {
                    Some(d) => parse_date(d, "转入")?,
                    None => today,
                };
                if d < join {
                    return Err(bad(
                        "member.transfer_before_join",
                        "转入日期不能早于入党日期",
                    ));
                }
                let probationary = full.is_none_or(|f| f > d);
                events.push((
                    MemberEventKind::TransferredIn,
                    d,
                    Some(n.org_id),
                    serde_json::json!({"letter_no": opt_trim(&n.letter_no), "probationary": probationary}),
                ));
                if let Some(f) = full.filter(|f| *f > d) {
                    events.push((MemberEventKind::Converted, f, None, serde_json::json!({})));
                }
            }
            other => {
                return Err(bad(
                    "member.entry_invalid",
                    format!("未知的接收方式：{other}"),
                ))
            }
        }
        let path = Self::member_org_for_write(tx, scope, n.org_id).await?;
        let (id_enc, id_hash, id_tail) = match &v.id {
            Some(id) => {
                let h = self.crypto.blind_index(id);
                Self::check_duplicate_id(tx, &h, None).await?;
                (
                    Some(self.crypto.encrypt(id)?),
                    Some(h),
                    Some(id[id.len().saturating_sub(4)..].to_string()),
                )
            }
            None => (None, None, None),
        };
        let now = crate::now_ts();
        let pre1949 = join < NaiveDate::from_ymd_opt(1949, 10, 1).unwrap_or(join);
        let province = path_province(tx, n.org_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO members (org_id, active, status, name, name_initials, name_pinyin, gender, ethnicity, birth_date, id_enc, id_hash, id_tail, native_place, education, occupation, phone, address, join_date, full_date, village_post, floating, retired, pre1949_veteran, in_difficulty, holds_office, province, version, created_at, updated_at) \
             VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, 1, $26, $26) RETURNING id",
        )
        .bind(n.org_id)
        .bind(0i64)
        .bind(&v.name)
        .bind(&v.initials)
        .bind(&v.pinyin)
        .bind(v.gender.code())
        .bind(&v.ethnicity)
        .bind(v.birth.to_string())
        .bind(id_enc)
        .bind(id_hash)
        .bind(id_tail)
        .bind(opt_trim(&n.native_place))
        .bind(v.education.code())
        .bind(v.occupation.code())
        .bind(v.phone.clone())
        .bind(opt_trim(&n.address))
        .bind(join.to_string())
        .bind(full.map(|f| f.to_string()))
        .bind(v.village_post.map(|p| p.code().to_string()))
        .bind(0i64)
        .bind(i64::from(n.retired))
        .bind(i64::from(pre1949))
        .bind(i64::from(n.in_difficulty))
        .bind(i64::from(n.holds_office || v.village_post.is_some()))
        .bind(province)
        .bind(&now)
        .fetch_one(&mut **tx)
        .await?;
        for (kind, date, org, data) in events {
            insert_member_event(tx, scope, id, kind, date, org, data).await?;
        }
        refresh_state(tx, id).await?;
        let after = self.member_in_tx(tx, scope, id).await?;
        audit::record(
            tx,
            scope,
            Entry {
                action: "member.create",
                entity: "member",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(audit_view(&after)),
            },
        )
        .await?;
        Ok(id)
    }

    async fn member_in_tx(&self, tx: &mut Tx, scope: &Scope, id: i64) -> Result<MemberView> {
        let mut q = Sql::new("SELECT ");
        q.push(&MEMBER_COLS.replace("o.path", "mo.path"))
            .push(" FROM members m")
            .push(Self::SCOPE_JOIN)
            .push(" WHERE m.id = ")
            .bind(id);
        let r = q
            .query()
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.member_from_row(scope, &r, true)
    }

    /// Loads a member for a write: 404 out of read scope, 403 without write right, 409 on a
    /// stale version. Returns the view and the governing org path.
    async fn member_for_write(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        id: i64,
        version: i64,
    ) -> Result<(MemberView, String)> {
        let mut q = Sql::new("SELECT mo.path, m.version FROM members m");
        q.push(Self::SCOPE_JOIN).push(" WHERE m.id = ").bind(id);
        let r = q
            .query()
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let path: Option<String> = r.try_get(0)?;
        let path = path.ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::MemberRead, &path) && scope.member_id != Some(id) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &path) {
            return Err(StoreError::Forbidden);
        }
        let current: i64 = r.try_get(1)?;
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        let view = self
            .member_in_tx(tx, &Scope::system("internal"), id)
            .await?;
        Ok((view, path))
    }

    /// Edits attributes (an `updated` event lists what changed).
    pub async fn update_member(
        &self,
        scope: &Scope,
        id: i64,
        p: &MemberPatch,
    ) -> Result<MemberView> {
        let date = match &p.date {
            Some(d) => parse_date(d, "生效")?,
            None => self.reference_date().await?,
        };
        let mut tx = self.db.begin().await?;
        let (before, path) = self.member_for_write(&mut tx, scope, id, p.version).await?;
        let id_before = before.id_number.clone();
        let new_id = match &p.id_number {
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(s.clone()),
            None => id_before.clone(),
        };
        let v = validate(
            p.name.as_deref().unwrap_or(&before.name),
            p.gender.as_deref().unwrap_or(&before.gender),
            Some(p.ethnicity.as_deref().unwrap_or(&before.ethnicity)),
            p.birth_date.as_deref().unwrap_or(&before.birth_date),
            new_id.as_deref(),
            p.education.as_deref().unwrap_or(&before.education),
            p.occupation.as_deref().unwrap_or(&before.occupation),
            match &p.village_post {
                Some(s) => Some(s.as_str()),
                None => before.village_post.as_deref(),
            },
            match &p.phone {
                Some(s) => Some(s.as_str()),
                None => before.phone.as_deref(),
            },
        )?;
        if let Some(j) = before
            .join_date
            .as_deref()
            .and_then(|j| parse_date(j, "").ok())
        {
            if jiceng_domain::age::age_on(v.birth, j) < 18 {
                return Err(bad(
                    "member.join_under_18",
                    "入党时须年满十八岁（《党章》第一条）",
                ));
            }
        }
        let (id_enc, id_hash, id_tail) = match &v.id {
            Some(idn) => {
                let h = self.crypto.blind_index(idn);
                Self::check_duplicate_id(&mut tx, &h, Some(id)).await?;
                (
                    Some(self.crypto.encrypt(idn)?),
                    Some(h),
                    Some(idn[idn.len().saturating_sub(4)..].to_string()),
                )
            }
            None => (None, None, None),
        };
        let native = if p.native_place.is_some() {
            opt_trim(&p.native_place)
        } else {
            before.native_place.clone()
        };
        let address = if p.address.is_some() {
            opt_trim(&p.address)
        } else {
            before.address.clone()
        };
        let res = sqlx::query(
            "UPDATE members SET name = $1, name_initials = $2, name_pinyin = $3, gender = $4, ethnicity = $5, birth_date = $6, id_enc = $7, id_hash = $8, id_tail = $9, native_place = $10, education = $11, occupation = $12, phone = $13, address = $14, village_post = $15, retired = $16, in_difficulty = $17, holds_office = $18, version = version + 1, updated_at = $19 WHERE id = $20 AND version = $21",
        )
        .bind(&v.name)
        .bind(&v.initials)
        .bind(&v.pinyin)
        .bind(v.gender.code())
        .bind(&v.ethnicity)
        .bind(v.birth.to_string())
        .bind(id_enc)
        .bind(id_hash)
        .bind(id_tail)
        .bind(native)
        .bind(v.education.code())
        .bind(v.occupation.code())
        .bind(v.phone.clone())
        .bind(address)
        .bind(v.village_post.map(|x| x.code().to_string()))
        .bind(i64::from(p.retired.unwrap_or(before.retired)))
        .bind(i64::from(p.in_difficulty.unwrap_or(before.in_difficulty)))
        .bind(i64::from(p.holds_office.unwrap_or(before.holds_office)))
        .bind(crate::now_ts())
        .bind(id)
        .bind(p.version)
        .execute(&mut *tx)
        .await?;
        if res.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        let after = self
            .member_in_tx(&mut tx, &Scope::system("internal"), id)
            .await?;
        let diff = diff_fields(&audit_view(&before), &audit_view(&after));
        insert_member_event(
            &mut tx,
            scope,
            id,
            MemberEventKind::Updated,
            date,
            None,
            serde_json::json!({"changes": diff}),
        )
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "member.update",
                entity: "member",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: Some(audit_view(&before)),
                after: Some(audit_view(&after)),
            },
        )
        .await?;
        tx.commit().await?;
        self.stats_member_changed(id).await;
        self.get_member(scope, id).await
    }

    /// Records a lifecycle event after checking it against the member's state.
    pub async fn add_member_event(
        &self,
        scope: &Scope,
        id: i64,
        e: &NewMemberEvent,
    ) -> Result<MemberView> {
        let kind = MemberEventKind::parse(&e.kind).ok_or_else(|| {
            bad(
                "member.event_kind_invalid",
                format!("未知的党员事项：{}", e.kind),
            )
        })?;
        if matches!(kind, MemberEventKind::Updated) {
            return Err(bad("member.event_kind_invalid", "信息变更请使用修改功能"));
        }
        let date = parse_date(&e.date, "事项")?;
        if date > self.reference_date().await? {
            return Err(bad("member.event_future", "事项日期不能晚于今天"));
        }
        let mut tx = self.db.begin().await?;
        let after = self
            .add_member_event_in(&mut tx, scope, id, e, kind, date)
            .await?;
        tx.commit().await?;
        self.stats_member_changed(id).await;
        // After a transfer out the member may have left the caller's scope.
        match self.get_member(scope, id).await {
            Ok(v) => Ok(v),
            Err(StoreError::NotFound) => Ok(after),
            Err(e) => Err(e),
        }
    }

    /// The writing part of [`Store::add_member_event`], inside the caller's transaction
    /// (the development pipeline records conversion, extension and cancellation with its
    /// step). Returns the member after the event; the caller commits and then calls
    /// `stats_member_changed`.
    pub(crate) async fn add_member_event_in(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        id: i64,
        e: &NewMemberEvent,
        kind: MemberEventKind,
        date: NaiveDate,
    ) -> Result<MemberView> {
        let (before, path) = self.member_for_write(tx, scope, id, e.version).await?;
        // Claim the version first: on PostgreSQL this row lock serializes concurrent writers,
        // and the loser sees 0 rows (409) instead of recording a second event.
        let claimed = sqlx::query("UPDATE members SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3")
            .bind(crate::now_ts())
            .bind(id)
            .bind(e.version)
            .execute(&mut **tx)
            .await?;
        if claimed.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: e.version + 1,
            });
        }
        let evs = load_events(tx, id).await?;
        if let Some(last) = evs
            .iter()
            .filter(|x| x.kind != MemberEventKind::Updated)
            .map(|x| x.date)
            .max()
        {
            if date < last {
                return Err(bad(
                    "member.event_out_of_order",
                    format!("事项日期不能早于最近一次记载的日期 {last}"),
                ));
            }
        }
        let state = dm::state_at(&evs, None);
        dm::check_transition(state.as_ref(), kind).map_err(|t| bad(t.code, t.message))?;
        crate::transfer::guard_member_event(tx, id, kind).await?;
        crate::floating::guard_member_event(tx, id, kind).await?;
        let mut target_path = None;
        if matches!(
            kind,
            MemberEventKind::Moved | MemberEventKind::Joined | MemberEventKind::TransferredIn
        ) {
            let org = e
                .org_id
                .ok_or_else(|| bad("member.event_org_required", "请指定接收党组织"))?;
            if kind == MemberEventKind::Moved && state.map(|s| s.org) == Some(org) {
                return Err(bad("member.move_same_org", "接收党组织与现所在党组织相同"));
            }
            target_path = Some(Self::member_org_for_write(tx, scope, org).await?);
        }
        if kind == MemberEventKind::Converted {
            if let Some(j) = state.and_then(|s| s.joined) {
                let end = j.checked_add_months(chrono::Months::new(12)).unwrap_or(j);
                if date < end {
                    return Err(bad(
                        "member.convert_before_probation_end",
                        format!("预备期满之日为 {end}，转正日期不能早于该日（《党章》第七条）"),
                    ));
                }
            }
        }
        let data = serde_json::json!({
            "letter_no": opt_trim(&e.letter_no),
            "note": opt_trim(&e.note),
            "probationary": e.probationary,
            "from_org": state.map(|s| s.org),
        });
        insert_member_event(
            tx,
            scope,
            id,
            kind,
            date,
            e.org_id.filter(|_| target_path.is_some()),
            data,
        )
        .await?;
        refresh_state(tx, id).await?;
        let after = self
            .member_in_tx(tx, &Scope::system("internal"), id)
            .await?;
        audit::record(
            tx,
            scope,
            Entry {
                action: "member.event",
                entity: "member",
                entity_id: Some(id.to_string()),
                scope_path: Some(target_path.unwrap_or(path)),
                before: Some(audit_view(&before)),
                after: Some(serde_json::json!({"event": kind.code(), "date": date.to_string(), "member": audit_view(&after)})),
            },
        )
        .await?;
        Ok(after)
    }

    /// Members for an export of the current view (at most `limit` rows), masked unless
    /// `reveal` is asked for and the role may see full numbers. The export itself is
    /// audited: personal data leaving the system is a recorded event.
    pub async fn export_members(
        &self,
        scope: &Scope,
        f: &MemberFilter,
        reveal: bool,
        limit: i64,
    ) -> Result<Vec<MemberView>> {
        let mut all = Vec::new();
        let mut page = 1;
        loop {
            let mut ff = f.clone();
            ff.page = Some(page);
            ff.page_size = Some(500);
            let p = self.list_members_as(scope, &ff, reveal).await?;
            let done = p.items.len() < 500;
            all.extend(p.items);
            if done || all.len() as i64 >= limit {
                break;
            }
            page += 1;
        }
        all.truncate(limit.max(0) as usize);
        if !reveal {
            for m in &mut all {
                if let Some(id) = &m.id_number {
                    if !m.id_masked {
                        m.id_number = Some(dm::mask_id(id));
                        m.id_masked = true;
                    }
                }
            }
        }
        let revealed = all
            .iter()
            .filter(|m| !m.id_masked && m.id_number.is_some())
            .count();
        let scope_path = match f.org {
            Some(o) => self.org_path(o).await?.map(|p| p.0),
            None => scope.grants.first().map(|g| g.path.clone()),
        };
        let mut tx = self.db.begin().await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "member.export",
                entity: "member",
                entity_id: None,
                scope_path,
                before: None,
                after: Some(serde_json::json!({
                    "rows": all.len(),
                    "full_id_numbers": revealed,
                    "org": f.org,
                    "q": f.q,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(all)
    }

    /// The dated history of a member.
    pub async fn member_events(&self, scope: &Scope, id: i64) -> Result<Vec<MemberEvent>> {
        self.get_member(scope, id).await?;
        let rows = sqlx::query(
            "SELECT e.id, e.kind, e.date, e.org_id, o.name, e.data, e.recorded_at FROM member_events e LEFT JOIN orgs o ON o.id = e.org_id WHERE e.member_id = $1 ORDER BY e.date, e.id",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(1)?;
                let data: String = r.try_get(5)?;
                Ok(MemberEvent {
                    id: r.try_get(0)?,
                    kind_zh: MemberEventKind::from_code(&kind)
                        .map(|k| k.zh())
                        .unwrap_or("")
                        .to_string(),
                    kind,
                    date: r.try_get(2)?,
                    org_id: r.try_get(3)?,
                    org_name: r.try_get(4)?,
                    data: serde_json::from_str(&data)?,
                    recorded_at: r.try_get(6)?,
                })
            })
            .collect()
    }
}

/// A document in the member's file (党员档案 catalogue entry).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberDocument {
    /// Id.
    pub id: i64,
    /// Member.
    pub member_id: i64,
    /// Kind code.
    pub kind: String,
    /// Kind label.
    pub kind_zh: String,
    /// Title.
    pub title: String,
    /// Date of the document.
    pub doc_date: String,
    /// Number of pages.
    pub pages: Option<i64>,
    /// Where the paper original is kept (存放位置).
    pub location: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Recorded at.
    pub created_at: String,
}

/// A new entry in the member's file.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewMemberDocument {
    /// Kind code (`application`, `volunteer_form`, …).
    pub kind: String,
    /// Title.
    pub title: String,
    /// Date of the document.
    pub doc_date: String,
    /// Pages.
    pub pages: Option<i64>,
    /// Storage location.
    pub location: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl Store {
    /// The member's file, oldest document first.
    pub async fn member_documents(&self, scope: &Scope, id: i64) -> Result<Vec<MemberDocument>> {
        self.get_member(scope, id).await?;
        let rows = sqlx::query(
            "SELECT id, member_id, kind, title, doc_date, pages, location, note, created_at FROM member_documents WHERE member_id = $1 ORDER BY doc_date, id",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(document_from_row).collect()
    }

    /// Adds a document to the member's file (audited).
    pub async fn add_member_document(
        &self,
        scope: &Scope,
        id: i64,
        d: &NewMemberDocument,
    ) -> Result<MemberDocument> {
        let kind = jiceng_domain::member::DocumentKind::parse(&d.kind).ok_or_else(|| {
            bad(
                "member.document_kind_invalid",
                format!("未知的档案材料类别：{}", d.kind),
            )
        })?;
        let title = d.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(bad(
                "member.document_title_invalid",
                "材料名称不能为空，且不超过 200 字",
            ));
        }
        let date = parse_date(&d.doc_date, "材料")?;
        if date > self.reference_date().await? {
            return Err(bad("member.document_future", "材料日期不能晚于今天"));
        }
        if d.pages.is_some_and(|p| !(1..=10_000).contains(&p)) {
            return Err(bad(
                "member.document_pages_invalid",
                "页数应在 1 到 10000 之间",
            ));
        }
        let mut tx = self.db.begin().await?;
        let mut q = Sql::new("SELECT mo.path FROM members m");
        q.push(Self::SCOPE_JOIN).push(" WHERE m.id = ").bind(id);
        let path: Option<String> = q
            .query()
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        let path = path.ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::MemberRead, &path) && scope.member_id != Some(id) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &path) {
            return Err(StoreError::Forbidden);
        }
        let doc_id: i64 = sqlx::query_scalar(
            "INSERT INTO member_documents (member_id, kind, title, doc_date, pages, location, note, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(id)
        .bind(kind.code())
        .bind(title)
        .bind(date.to_string())
        .bind(d.pages)
        .bind(opt_trim(&d.location))
        .bind(opt_trim(&d.note))
        .bind(scope.user_id)
        .bind(crate::now_ts())
        .fetch_one(&mut *tx)
        .await?;
        let r = sqlx::query(
            "SELECT id, member_id, kind, title, doc_date, pages, location, note, created_at FROM member_documents WHERE id = $1",
        )
        .bind(doc_id)
        .fetch_one(&mut *tx)
        .await?;
        let doc = document_from_row(&r)?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "member.document_add",
                entity: "member_document",
                entity_id: Some(doc_id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::to_value(&doc)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(doc)
    }
}

fn document_from_row(r: &AnyRow) -> Result<MemberDocument> {
    let kind: String = r.try_get(2)?;
    Ok(MemberDocument {
        id: r.try_get(0)?,
        member_id: r.try_get(1)?,
        kind_zh: jiceng_domain::member::DocumentKind::from_code(&kind)
            .map(|k| k.zh())
            .unwrap_or("")
            .to_string(),
        kind,
        title: r.try_get(3)?,
        doc_date: r.try_get(4)?,
        pages: r.try_get(5)?,
        location: r.try_get(6)?,
        note: r.try_get(7)?,
        created_at: r.try_get(8)?,
    })
}

/// What the audit log keeps of a member: never the ID number in clear.
fn audit_view(v: &MemberView) -> serde_json::Value {
    let mut m = v.clone();
    m.id_number = m.id_number.as_deref().map(dm::mask_id);
    m.id_masked = true;
    serde_json::to_value(m).unwrap_or(serde_json::Value::Null)
}

fn diff_fields(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (k, av) in a {
            if k == "version" {
                continue;
            }
            if b.get(k) != Some(av) {
                out.insert(k.clone(), serde_json::json!({"from": b.get(k), "to": av}));
            }
        }
    }
    serde_json::Value::Object(out)
}

async fn path_province(tx: &mut Tx, org_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT province FROM orgs WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&mut **tx)
            .await?
            .flatten(),
    )
}

pub(crate) async fn insert_member_event(
    tx: &mut Tx,
    scope: &Scope,
    member_id: i64,
    kind: MemberEventKind,
    date: NaiveDate,
    org_id: Option<i64>,
    data: serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO member_events (member_id, kind, date, org_id, data, actor_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(member_id)
    .bind(kind.code())
    .bind(date.to_string())
    .bind(org_id)
    .bind(data.to_string())
    .bind(scope.user_id)
    .bind(crate::now_ts())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Parses one stored event row (kind, date, org_id, data) into the fold's input.
pub(crate) fn event_lite(
    kind: &str,
    date: &str,
    org: Option<i64>,
    data: &str,
) -> Option<EventLite> {
    event_lite_opt(kind, date, org, Some(data))
}

/// [`event_lite`] for readers that fetch `data` only where it matters: the JSON is read
/// (for its `probationary` flag) only for a `transferred_in` event, so the bulk reader of
/// the statistics engine selects it only for those rows and passes `None` for the rest;
/// `None` on a `transferred_in` reads as "no flag" (as unparseable JSON does).
pub(crate) fn event_lite_opt(
    kind: &str,
    date: &str,
    org: Option<i64>,
    data: Option<&str>,
) -> Option<EventLite> {
    let kind = MemberEventKind::from_code(kind)?;
    let date = parse_ymd(date)?;
    let probationary = kind == MemberEventKind::TransferredIn
        && data
            .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .and_then(|v| v.get("probationary").and_then(|p| p.as_bool()))
            .unwrap_or(false);
    Some(EventLite {
        date,
        kind,
        org,
        probationary,
    })
}

/// `NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()`, with a fast path for the canonical
/// `YYYY-MM-DD` (ten bytes, ASCII digits), which is how every date is stored; anything
/// else goes to chrono, so the accepted set is exactly chrono's.
pub(crate) fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let digit = |i: usize| -> Option<u32> {
            let c = b[i];
            c.is_ascii_digit().then(|| u32::from(c - b'0'))
        };
        if let (Some(y0), Some(y1), Some(y2), Some(y3), Some(m0), Some(m1), Some(d0), Some(d1)) = (
            digit(0),
            digit(1),
            digit(2),
            digit(3),
            digit(5),
            digit(6),
            digit(8),
            digit(9),
        ) {
            let year = (y0 * 1000 + y1 * 100 + y2 * 10 + y3) as i32;
            return NaiveDate::from_ymd_opt(year, m0 * 10 + m1, d0 * 10 + d1);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

async fn load_events(tx: &mut Tx, id: i64) -> Result<Vec<EventLite>> {
    let rows = sqlx::query(
        "SELECT kind, date, org_id, data FROM member_events WHERE member_id = $1 ORDER BY date, id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let kind: String = r.try_get(0)?;
        let date: String = r.try_get(1)?;
        let data: String = r.try_get(3)?;
        if let Some(e) = event_lite(&kind, &date, r.try_get(2)?, &data) {
            out.push(e);
        }
    }
    Ok(out)
}

/// Re-derives the current-state columns from the events (history first, state follows).
pub(crate) async fn refresh_state(tx: &mut Tx, id: i64) -> Result<()> {
    let evs = load_events(tx, id).await?;
    let st = dm::state_at(&evs, None);
    let last_end = evs.iter().rev().find(|e| e.kind.ends_membership());
    let join = evs
        .iter()
        .filter(|e| e.kind == MemberEventKind::Joined)
        .map(|e| e.date)
        .next_back();
    let full = evs
        .iter()
        .filter(|e| e.kind == MemberEventKind::Converted)
        .map(|e| e.date)
        .next_back();
    match st {
        Some(s) => {
            let mut q = Sql::new("UPDATE members SET org_id = ");
            q.bind(s.org)
                .push(", active = ")
                .bind(1i64)
                .push(", status = ")
                .bind(if s.probationary {
                    MemberStatus::Probationary.code()
                } else {
                    MemberStatus::Full.code()
                })
                .push(", floating = ")
                .bind(i64::from(s.floating))
                .push(", suspended = ")
                .bind(i64::from(s.suspended))
                .push(", left_date = NULL, left_kind = NULL");
            if let Some(j) = join {
                q.push(", join_date = ").bind(j.to_string());
            }
            if let Some(f) = full {
                q.push(", full_date = ").bind(f.to_string());
            }
            q.push(" WHERE id = ").bind(id);
            q.query().execute(&mut **tx).await?;
        }
        None => {
            sqlx::query("UPDATE members SET org_id = NULL, active = $1, status = NULL, floating = $2, suspended = 0, left_date = $3, left_kind = $4 WHERE id = $5")
                .bind(0i64)
                .bind(0i64)
                .bind(last_end.map(|e| e.date.to_string()))
                .bind(last_end.map(|e| e.kind.code().to_string()))
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

//! Democratic appraisal of members (民主评议党员) in the store: an appraisal per org and
//! year with its participants (the members on the roster when it opens), anonymous rating
//! ballots cast with one-time tokens, the tally, and the branch's decision (a vote of the
//! branch committee through the vote engine; 优秀 at most one third).
//!
//! Ballots cannot be linked to voters: tokens are handed out as slips and stored only as
//! hashes with a used flag; a ballot row holds the member rated and the grade, nothing about
//! who cast it or when, and casting is audited without actor or address.

use std::collections::BTreeMap;

use jiceng_domain::appraisal::{self as da, check_decision, suggested, Grade, Tally};
use jiceng_domain::codes::Coded;
use jiceng_domain::vote;
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::error::{Result, StoreError};
use crate::member::MemberFilter;
use crate::sql::path_upper;
use crate::{Page, Paging, Store};

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg.into())
}

/// The stored form of a ballot token (only this is kept).
pub(crate) fn token_hash(t: &str) -> String {
    hex::encode(Sha256::digest(t.trim().as_bytes()))
}

/// The answer to a slip used a second time (member appraisal and secretary evaluation).
pub(crate) fn token_used() -> StoreError {
    StoreError::Duplicate("这张测评票已经投过票，每张票只能使用一次".into())
}

/// `n` one-time ballot tokens: 10 characters from an alphabet without look-alikes, for
/// printing on slips (member appraisal and secretary evaluation).
pub(crate) fn ballot_tokens(n: u32) -> Vec<String> {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| {
            (0..10)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect()
        })
        .collect()
}

/// One participant with the ballots about them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParticipantRow {
    /// Member.
    pub member_id: i64,
    /// Name.
    pub name: String,
    /// Ballots per grade: 优秀, 合格, 基本合格, 不合格.
    pub tally: Vec<u32>,
    /// The grade most ballots gave (ties: the better).
    pub suggested: Option<String>,
    /// The branch's decision.
    pub grade: Option<String>,
    /// The latest self-review (个人自评), if recorded.
    pub self_review: Option<ReviewView>,
    /// Opinions of fellow members recorded (党员互评), oldest first.
    pub peer_reviews: Vec<ReviewView>,
}

/// A recorded self-review or peer-review opinion.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    /// Id.
    pub id: i64,
    /// `self` or `peer`.
    pub kind: String,
    /// Date.
    pub date: String,
    /// The review as written.
    pub text: String,
}

/// Recording a self-review or peer opinions for one participant.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ReviewInput {
    /// Participant.
    pub member_id: i64,
    /// `self` (个人自评) or `peer` (党员互评).
    pub kind: String,
    /// Date (the meeting's, usually).
    pub date: String,
    /// The review.
    pub text: String,
}

/// An appraisal.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AppraisalView {
    /// Id.
    pub id: i64,
    /// Org.
    pub org_id: i64,
    /// Year.
    pub year: i32,
    /// `open` or `decided`.
    pub status: String,
    /// Tokens issued.
    pub tokens_issued: i64,
    /// Ballots cast.
    pub ballots_cast: i64,
    /// Participants with their tallies.
    pub participants: Vec<ParticipantRow>,
    /// The decision vote's derivation.
    pub decision_vote: Option<String>,
    /// Version.
    pub version: i64,
}

/// A ballot: the grade given to each participant, with the slip's token.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct BallotInput {
    /// One-time token from the slip.
    pub token: String,
    /// Member id → grade code.
    pub grades: BTreeMap<i64, String>,
}

/// The branch's decision.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// Version read.
    pub version: i64,
    /// Member id → grade code, for every participant.
    pub grades: BTreeMap<i64, String>,
    /// Committee members entitled.
    pub entitled: u64,
    /// Present.
    pub present: u64,
    /// Ayes.
    pub ayes: u64,
}

/// List query of appraisals (and of secretary evaluations).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct EvalListQuery {
    /// Org whose subtree is listed (default: the top of the caller's scope).
    pub org: Option<i64>,
    /// Year (all years when absent).
    pub year: Option<i32>,
    /// Page (from 1).
    pub page: Option<i64>,
    /// Page size (≤ 500, default 20).
    pub page_size: Option<i64>,
}

/// An appraisal in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AppraisalSummary {
    /// Id.
    pub id: i64,
    /// Org.
    pub org_id: i64,
    /// Org name.
    pub org_name: String,
    /// Year.
    pub year: i32,
    /// `open` or `decided`.
    pub status: String,
    /// Members appraised.
    pub participants: i64,
    /// Tokens issued.
    pub tokens_issued: i64,
    /// Ballots cast.
    pub ballots_cast: i64,
    /// Version.
    pub version: i64,
}

/// A member on a ballot slip.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SlipMember {
    /// Member.
    pub member_id: i64,
    /// Name.
    pub name: String,
}

/// What an unused slip is for (shown to its holder before voting; nothing is claimed).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Slip {
    /// `appraisal` (民主评议党员) or `secretary_eval` (双述双评联考).
    pub kind: String,
    /// The org.
    pub org_name: String,
    /// Year.
    pub year: i32,
    /// The members to rate (appraisal).
    pub participants: Vec<SlipMember>,
    /// The secretary rated (secretary evaluation).
    pub secretary: Option<String>,
    /// The group the slip belongs to (secretary evaluation): `members`, `representatives`.
    pub group: Option<String>,
}

impl Store {
    /// Appraisals of a subtree, newest year first (member readers of the subtree).
    pub async fn list_appraisals(
        &self,
        scope: &Scope,
        org_id: i64,
        q: &EvalListQuery,
    ) -> Result<Page<AppraisalSummary>> {
        let root = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::MemberRead, &root.path) {
            return Err(StoreError::NotFound);
        }
        let page = Paging::new(q.page, q.page_size);
        let year = q.year.map(i64::from);
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM appraisals a JOIN orgs o ON o.id = a.org_id WHERE o.path >= $1 AND o.path < $2 AND ($3 IS NULL OR a.year = $3)",
        )
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .bind(year)
        .fetch_one(self.db.pool())
        .await?;
        let rows = sqlx::query(
            "SELECT a.id, a.org_id, o.name, a.year, a.status, a.participants, a.version, \
             (SELECT COUNT(*) FROM appraisal_tokens t WHERE t.appraisal_id = a.id), \
             (SELECT COUNT(*) FROM appraisal_tokens t WHERE t.appraisal_id = a.id AND t.used = 1) \
             FROM appraisals a JOIN orgs o ON o.id = a.org_id \
             WHERE o.path >= $1 AND o.path < $2 AND ($3 IS NULL OR a.year = $3) \
             ORDER BY a.year DESC, o.path, a.id LIMIT $4 OFFSET $5",
        )
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .bind(year)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(self.db.pool())
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let participants: Vec<i64> =
                serde_json::from_str(&r.try_get::<String, _>(5)?).unwrap_or_default();
            items.push(AppraisalSummary {
                id: r.try_get(0)?,
                org_id: r.try_get(1)?,
                org_name: r.try_get(2)?,
                year: r.try_get::<i64, _>(3)? as i32,
                status: r.try_get(4)?,
                participants: participants.len() as i64,
                version: r.try_get(6)?,
                tokens_issued: r.try_get(7)?,
                ballots_cast: r.try_get(8)?,
            });
        }
        Ok(Page::new(items, total, page))
    }

    /// What an unused ballot slip is for: the org, the year and the members to rate (member
    /// appraisal) or the secretary and the group (secretary evaluation). No login: the token
    /// is the credential; nothing is claimed or recorded. A used slip answers as a second
    /// ballot would.
    pub async fn ballot_slip(&self, token: &str) -> Result<Slip> {
        let hash = token_hash(token);
        if let Some(r) = sqlx::query(
            "SELECT t.used, a.status, a.participants, a.year, o.name FROM appraisal_tokens t JOIN appraisals a ON a.id = t.appraisal_id JOIN orgs o ON o.id = a.org_id WHERE t.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(self.db.pool())
        .await?
        {
            if r.try_get::<i64, _>(0)? != 0 {
                return Err(token_used());
            }
            if r.try_get::<String, _>(1)? != "open" {
                return Err(bad("appraisal.closed", "评议已评定，不再收票"));
            }
            let ids: Vec<i64> =
                serde_json::from_str(&r.try_get::<String, _>(2)?).unwrap_or_default();
            let mut participants = Vec::with_capacity(ids.len());
            for id in ids {
                let name: String = sqlx::query_scalar("SELECT name FROM members WHERE id = $1")
                    .bind(id)
                    .fetch_one(self.db.pool())
                    .await?;
                participants.push(SlipMember {
                    member_id: id,
                    name,
                });
            }
            return Ok(Slip {
                kind: "appraisal".into(),
                org_name: r.try_get(4)?,
                year: r.try_get::<i64, _>(3)? as i32,
                participants,
                secretary: None,
                group: None,
            });
        }
        let r = sqlx::query(
            "SELECT t.used, e.status, t.rater_group, e.year, o.name, e.secretary FROM secretary_eval_tokens t JOIN secretary_evals e ON e.id = t.eval_id JOIN orgs o ON o.id = e.org_id WHERE t.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| bad("ballot.token_invalid", "测评票号无效"))?;
        if r.try_get::<i64, _>(0)? != 0 {
            return Err(token_used());
        }
        if r.try_get::<String, _>(1)? != "open" {
            return Err(bad("secretary_eval.closed", "评议已结束，不再收票"));
        }
        Ok(Slip {
            kind: "secretary_eval".into(),
            org_name: r.try_get(4)?,
            year: r.try_get::<i64, _>(3)? as i32,
            participants: Vec::new(),
            secretary: Some(r.try_get(5)?),
            group: Some(r.try_get(2)?),
        })
    }

    async fn appraisal_row(
        &self,
        id: i64,
    ) -> Result<(i64, i64, String, Vec<i64>, String, Option<String>, i64)> {
        let r = sqlx::query(
            "SELECT a.org_id, a.year, o.path, a.participants, a.status, a.decision_vote, a.version FROM appraisals a JOIN orgs o ON o.id = a.org_id WHERE a.id = $1",
        )
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let participants: String = r.try_get(3)?;
        Ok((
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            serde_json::from_str(&participants).unwrap_or_default(),
            r.try_get(4)?,
            r.try_get(5)?,
            r.try_get(6)?,
        ))
    }

    /// Opens the appraisal of an org for a year; the participants are its members on the
    /// roster now (branch secretary or above).
    pub async fn open_appraisal(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
    ) -> Result<AppraisalView> {
        let org = self.get_org(scope, org_id).await?;
        if !scope.allows(Action::MemberRead, &org.path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &org.path) {
            return Err(StoreError::Forbidden);
        }
        let members = self
            .list_members(
                &Scope::system("appraisal"),
                &MemberFilter {
                    org: Some(org_id),
                    page_size: Some(500),
                    ..Default::default()
                },
            )
            .await?;
        let ids: Vec<i64> = members
            .items
            .iter()
            .filter(|m| m.org_id == Some(org_id))
            .map(|m| m.id)
            .collect();
        if ids.is_empty() {
            return Err(bad("appraisal.no_members", "该党组织没有可参评的党员"));
        }
        let mut tx = self.db.begin().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM appraisals WHERE org_id = $1 AND year = $2")
                .bind(org_id)
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            return Err(StoreError::Duplicate(format!("{year} 年度民主评议已开启")));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO appraisals (org_id, year, participants, status, version, created_at) VALUES ($1, $2, $3, 'open', 1, $4) RETURNING id",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .bind(serde_json::to_string(&ids)?)
        .bind(crate::now_ts())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "appraisal.open",
                entity: "appraisal",
                entity_id: Some(id.to_string()),
                scope_path: Some(org.path.clone()),
                before: None,
                after: Some(
                    serde_json::json!({"org_id": org_id, "year": year, "participants": ids.len()}),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        self.appraisal(scope, id).await
    }

    /// An appraisal with the tally per participant.
    pub async fn appraisal(&self, scope: &Scope, id: i64) -> Result<AppraisalView> {
        let (org_id, year, path, participants, status, decision_vote, version) =
            self.appraisal_row(id).await?;
        if !scope.allows(Action::MemberRead, &path) {
            return Err(StoreError::NotFound);
        }
        let mut tallies: BTreeMap<i64, Tally> = BTreeMap::new();
        for r in sqlx::query(
            "SELECT member_id, grade, COUNT(*) FROM appraisal_ballots WHERE appraisal_id = $1 GROUP BY member_id, grade",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?
        {
            let g: String = r.try_get(1)?;
            if let Some(g) = Grade::from_code(&g) {
                tallies.entry(r.try_get(0)?).or_default()[da::index(g)] +=
                    r.try_get::<i64, _>(2)? as u32;
            }
        }
        let mut decided: BTreeMap<i64, String> = BTreeMap::new();
        for r in
            sqlx::query("SELECT member_id, grade FROM appraisal_grades WHERE appraisal_id = $1")
                .bind(id)
                .fetch_all(self.db.pool())
                .await?
        {
            decided.insert(r.try_get(0)?, r.try_get(1)?);
        }
        let mut reviews: BTreeMap<i64, (Option<ReviewView>, Vec<ReviewView>)> = BTreeMap::new();
        for r in sqlx::query(
            "SELECT id, member_id, kind, date, text FROM appraisal_reviews WHERE appraisal_id = $1 ORDER BY date, id",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?
        {
            let v = ReviewView {
                id: r.try_get(0)?,
                kind: r.try_get(2)?,
                date: r.try_get(3)?,
                text: r.try_get(4)?,
            };
            let e = reviews.entry(r.try_get(1)?).or_default();
            if v.kind == "self" {
                e.0 = Some(v);
            } else {
                e.1.push(v);
            }
        }
        let mut rows = Vec::with_capacity(participants.len());
        for m in &participants {
            let name: String = sqlx::query_scalar("SELECT name FROM members WHERE id = $1")
                .bind(m)
                .fetch_one(self.db.pool())
                .await?;
            let t = tallies.get(m).copied().unwrap_or_default();
            rows.push(ParticipantRow {
                member_id: *m,
                name,
                tally: t.to_vec(),
                suggested: suggested(&t).map(|g| g.code().to_string()),
                grade: decided.get(m).cloned(),
                self_review: reviews.get(m).and_then(|r| r.0.clone()),
                peer_reviews: reviews.get(m).map(|r| r.1.clone()).unwrap_or_default(),
            });
        }
        let count = |sql: &'static str| async move {
            let n: i64 = sqlx::query_scalar(sql)
                .bind(id)
                .fetch_one(self.db.pool())
                .await?;
            Ok::<i64, StoreError>(n)
        };
        Ok(AppraisalView {
            id,
            org_id,
            year: year as i32,
            status,
            tokens_issued: count("SELECT COUNT(*) FROM appraisal_tokens WHERE appraisal_id = $1")
                .await?,
            ballots_cast: count(
                "SELECT COUNT(*) FROM appraisal_tokens WHERE appraisal_id = $1 AND used = 1",
            )
            .await?,
            participants: rows,
            decision_vote,
            version,
        })
    }

    /// Records a participant's self-review (个人自评) or the opinions of fellow members
    /// (党员互评), named and dated, while the appraisal is open; audited. A later self-review
    /// is shown instead of the earlier one, which stays on record.
    pub async fn add_appraisal_review(
        &self,
        scope: &Scope,
        id: i64,
        r: &ReviewInput,
    ) -> Result<AppraisalView> {
        let (_, _, path, participants, status, _, _) = self.appraisal_row(id).await?;
        if !scope.allows(Action::MemberRead, &path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &path) {
            return Err(StoreError::Forbidden);
        }
        if status != "open" {
            return Err(bad("appraisal.closed", "评议已评定，不能再记录自评或互评"));
        }
        if r.kind != "self" && r.kind != "peer" {
            return Err(bad(
                "appraisal.review_kind",
                "评议类型应为个人自评（self）或党员互评（peer）",
            ));
        }
        if !participants.contains(&r.member_id) {
            return Err(bad("appraisal.not_participant", "该党员不在本次评议名单中"));
        }
        let date = crate::parse_date(&r.date, "日期")?;
        if date > self.reference_date().await? {
            return Err(bad("appraisal.date_future", "日期不能晚于今天"));
        }
        let text = r.text.trim();
        if text.is_empty() {
            return Err(bad("appraisal.review_empty", "请填写自评或互评意见"));
        }
        let mut tx = self.db.begin().await?;
        let rid: i64 = sqlx::query_scalar(
            "INSERT INTO appraisal_reviews (appraisal_id, member_id, kind, date, text, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(id)
        .bind(r.member_id)
        .bind(&r.kind)
        .bind(date.to_string())
        .bind(text)
        .bind(scope.user_id)
        .bind(crate::now_ts())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "appraisal.review",
                entity: "appraisal",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::json!({"review_id": rid, "member_id": r.member_id, "kind": r.kind, "date": date.to_string()})),
            },
        )
        .await?;
        tx.commit().await?;
        self.appraisal(scope, id).await
    }

    /// Issues `n` one-time ballot tokens (printed on slips and handed out at random): only
    /// their hashes are kept.
    pub async fn issue_tokens(&self, scope: &Scope, id: i64, n: u32) -> Result<Vec<String>> {
        let (_, _, path, _, status, _, _) = self.appraisal_row(id).await?;
        if !scope.allows(Action::MemberRead, &path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &path) {
            return Err(StoreError::Forbidden);
        }
        if status != "open" {
            return Err(bad("appraisal.closed", "评议已评定，不能再发票"));
        }
        if !(1..=1000).contains(&n) {
            return Err(bad("appraisal.token_count", "每次发放 1 至 1000 张测评票"));
        }
        let tokens = ballot_tokens(n);
        let mut tx = self.db.begin().await?;
        for t in &tokens {
            sqlx::query(
                "INSERT INTO appraisal_tokens (appraisal_id, token_hash, used) VALUES ($1, $2, 0)",
            )
            .bind(id)
            .bind(token_hash(t))
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "appraisal.tokens",
                entity: "appraisal",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::json!({"issued": n})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(tokens)
    }

    /// Casts an anonymous ballot with a token (one ballot per token). No caller identity is
    /// taken or recorded.
    pub async fn cast_ballot(&self, b: &BallotInput) -> Result<()> {
        let hash = token_hash(&b.token);
        let mut tx = self.db.begin().await?;
        let r = sqlx::query(
            "SELECT t.id, t.appraisal_id, a.participants, a.status, o.path FROM appraisal_tokens t JOIN appraisals a ON a.id = t.appraisal_id JOIN orgs o ON o.id = a.org_id WHERE t.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| bad("appraisal.token_invalid", "测评票号无效"))?;
        let (token_id, appraisal_id): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        let participants: Vec<i64> =
            serde_json::from_str(&r.try_get::<String, _>(2)?).unwrap_or_default();
        if r.try_get::<String, _>(3)? != "open" {
            return Err(bad("appraisal.closed", "评议已评定，不再收票"));
        }
        let path: String = r.try_get(4)?;
        let mut grades = Vec::with_capacity(b.grades.len());
        for (m, g) in &b.grades {
            if !participants.contains(m) {
                return Err(bad(
                    "appraisal.not_participant",
                    format!("党员 {m} 不在本次参评名单中"),
                ));
            }
            let g = Grade::from_code(g)
                .ok_or_else(|| bad("appraisal.grade_invalid", format!("未知的评议等次：{g}")))?;
            grades.push((*m, g));
        }
        if grades.is_empty() {
            return Err(bad("appraisal.empty_ballot", "测评票上没有评议任何党员"));
        }
        // Claim the token first: a second use finds it taken.
        let claimed =
            sqlx::query("UPDATE appraisal_tokens SET used = 1 WHERE id = $1 AND used = 0")
                .bind(token_id)
                .execute(&mut *tx)
                .await?;
        if claimed.rows_affected() == 0 {
            return Err(token_used());
        }
        for (m, g) in grades {
            sqlx::query("INSERT INTO appraisal_ballots (appraisal_id, member_id, grade) VALUES ($1, $2, $3)")
                .bind(appraisal_id)
                .bind(m)
                .bind(g.code())
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            &Scope::system("匿名测评票"),
            Entry {
                action: "appraisal.ballot",
                entity: "appraisal",
                entity_id: Some(appraisal_id.to_string()),
                scope_path: Some(path),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the branch's decision: every participant graded, 优秀 at most one third, the
    /// committee's vote passed (`committee.meeting`).
    pub async fn decide_appraisal(
        &self,
        scope: &Scope,
        id: i64,
        d: &DecisionInput,
    ) -> Result<AppraisalView> {
        let (_, _, path, participants, status, _, version) = self.appraisal_row(id).await?;
        if !scope.allows(Action::MemberRead, &path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &path) {
            return Err(StoreError::Forbidden);
        }
        if d.version != version {
            return Err(StoreError::Conflict { current: version });
        }
        if status != "open" {
            return Err(bad("appraisal.closed", "评议已评定"));
        }
        let mut grades = Vec::with_capacity(d.grades.len());
        for (m, g) in &d.grades {
            let g = Grade::from_code(g)
                .ok_or_else(|| bad("appraisal.grade_invalid", format!("未知的评议等次：{g}")))?;
            grades.push((*m, g));
        }
        check_decision(&participants, &grades).map_err(|e| bad(e.code, e.message))?;
        let rule = vote::vote_rule("committee.meeting")
            .ok_or_else(|| bad("appraisal.rule_missing", "表决规则缺失"))?;
        let v = vote::check(rule, d.entitled, d.present, d.ayes, 0)
            .map_err(|e| bad("appraisal.vote_invalid", e.to_string()))?;
        if !v.passed {
            return Err(bad(
                "appraisal.vote_failed",
                format!("支部委员会表决未通过：{}", v.derivation_zh),
            ));
        }
        let mut tx = self.db.begin().await?;
        let done = sqlx::query(
            "UPDATE appraisals SET status = 'decided', decision_vote = $1, version = version + 1 WHERE id = $2 AND version = $3",
        )
        .bind(&v.derivation_zh)
        .bind(id)
        .bind(d.version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: version + 1,
            });
        }
        for (m, g) in &grades {
            sqlx::query(
                "INSERT INTO appraisal_grades (appraisal_id, member_id, grade) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(m)
            .bind(g.code())
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "appraisal.decide",
                entity: "appraisal",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::json!({"grades": d.grades, "vote": v.derivation_zh})),
            },
        )
        .await?;
        tx.commit().await?;
        self.appraisal(scope, id).await
    }
}

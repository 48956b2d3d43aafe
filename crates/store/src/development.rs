//! The development pipeline (发展党员) in the store: people and their dated
//! steps, each checked by [`jiceng_domain::development::check_step`] against the rules in
//! force on its date (central sets plus the deployment's overlays) before it is written.
//! The approval admits the person as a probationary member (a `joined` event dated the
//! branch meeting, 预备期从支部大会通过之日算起), in the same transaction; conversion,
//! extension and cancellation write the member's events the same way.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiceng_domain::codes::Coded;
use jiceng_domain::development::{
    self as dd, check_step, next_due, probation_end, Due, Introducer, Stage, Step, StepKind, Tally,
};
use jiceng_domain::member::MemberEventKind;
use jiceng_domain::rules::Overlay;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::auth::{Action, Scope};
use crate::error::{Result, StoreError};
use crate::member::{validate, NewMember, NewMemberEvent};
use crate::sql::{path_upper, Sql};
use crate::{opt_trim, parse_date, Page, Paging, Store};

fn bad(code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::invalid(code, msg.into())
}

/// A person entering the pipeline with their application.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewApplicant {
    /// The org (branch) receiving the application.
    pub org_id: i64,
    /// Name.
    pub name: String,
    /// Gender code or label.
    pub gender: String,
    /// Ethnicity (code or name; 汉族 when absent).
    pub ethnicity: Option<String>,
    /// Birth date.
    pub birth_date: String,
    /// Citizen ID number (GB 11643; encrypted at rest).
    pub id_number: Option<String>,
    /// Education code.
    pub education: String,
    /// Occupation code.
    pub occupation: String,
    /// Phone.
    pub phone: Option<String>,
    /// Date of the application (入党申请书).
    pub application_date: String,
}

/// A step to record. Fields beyond `kind` and `date` as the step needs them.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewStep {
    /// Version of the person read (409 when stale).
    pub version: i64,
    /// Step code ([`StepKind`]).
    pub kind: String,
    /// Date (first day for 公示 and training).
    pub date: String,
    /// Last day (公示, training).
    pub end_date: Option<String>,
    /// Class hours (training).
    pub hours: Option<u32>,
    /// Number of training contacts (contacts).
    pub contacts: Option<u32>,
    /// Introducers: members of the system (branch meeting).
    #[serde(default)]
    pub introducer_ids: Vec<i64>,
    /// Vote counts (branch meeting, conversion meeting).
    pub tally: Option<TallyInput>,
    /// Months (extension).
    pub months: Option<u32>,
    /// Approval delayed by a special circumstance (第二十五条).
    #[serde(default)]
    pub special: bool,
    /// Note.
    pub note: Option<String>,
}

/// Vote counts as entered.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct TallyInput {
    /// Entitled (应到).
    pub entitled: u64,
    /// Present (实到).
    pub present: u64,
    /// Ayes.
    pub ayes: u64,
    /// Ayes in written opinions of absent members.
    #[serde(default)]
    pub written_ayes: u64,
}

/// A recorded step.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepView {
    /// Id.
    pub id: i64,
    /// Code.
    pub kind: String,
    /// Label.
    pub label: String,
    /// Date.
    pub date: String,
    /// Details (end date, hours, introducers, tally, months…).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// The vote's derivation, for meetings.
    pub vote: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Recorded at.
    pub recorded_at: String,
}

/// Something due for a person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DueView {
    /// Step code.
    pub step: String,
    /// Label.
    pub label: String,
    /// Date.
    pub date: String,
    /// `deadline` or `earliest`.
    pub kind: String,
    /// Rule source.
    pub source: String,
    /// Past the deadline on the deployment's today.
    pub overdue: bool,
}

/// A person in the pipeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonView {
    /// Id.
    pub id: i64,
    /// Org.
    pub org_id: i64,
    /// Org name.
    pub org_name: String,
    /// Name.
    pub name: String,
    /// Gender code.
    pub gender: String,
    /// Birth date.
    pub birth_date: String,
    /// Masked ID number.
    pub id_masked: Option<String>,
    /// Education code.
    pub education: String,
    /// Occupation code.
    pub occupation: String,
    /// Stage code.
    pub stage: String,
    /// Stage label.
    pub stage_label: String,
    /// The member record once admitted.
    pub member_id: Option<i64>,
    /// Version.
    pub version: i64,
    /// Steps in date order (in the detail view).
    pub steps: Vec<StepView>,
    /// What is due next (in the detail view and the due list).
    pub due: Vec<DueView>,
}

/// Filter of the pipeline list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct PersonFilter {
    /// Subtree.
    pub org: Option<i64>,
    /// Stage code.
    pub stage: Option<String>,
    /// Name or pinyin initials.
    pub q: Option<String>,
    /// Page (from 1).
    pub page: Option<i64>,
    /// Page size.
    pub page_size: Option<i64>,
}

/// Counts per stage (the pipeline board).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardColumn {
    /// Stage code.
    pub stage: String,
    /// Label.
    pub label: String,
    /// People in it.
    pub count: i64,
}

/// A due item with its person, for the list of a subtree.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DueRow {
    /// Person.
    pub person_id: i64,
    /// Name.
    pub name: String,
    /// Org name.
    pub org_name: String,
    /// Stage label.
    pub stage_label: String,
    /// The due item.
    pub due: DueView,
}

const PERSON_COLS: &str = "p.id, p.org_id, o.name, p.name, p.gender, p.birth_date, p.id_tail, p.education, p.occupation, p.stage, p.member_id, p.version, o.path";

fn person_row(r: &AnyRow) -> Result<(PersonView, String)> {
    let stage: String = r.try_get(9)?;
    let tail: Option<String> = r.try_get(6)?;
    Ok((
        PersonView {
            id: r.try_get(0)?,
            org_id: r.try_get(1)?,
            org_name: r.try_get(2)?,
            name: r.try_get(3)?,
            gender: r.try_get(4)?,
            birth_date: r.try_get(5)?,
            id_masked: tail.map(|t| format!("**************{t}")),
            education: r.try_get(7)?,
            occupation: r.try_get(8)?,
            stage_label: Stage::from_code(&stage).map_or_else(|| stage.clone(), |s| s.zh().into()),
            stage,
            member_id: r.try_get(10)?,
            version: r.try_get(11)?,
            steps: Vec::new(),
            due: Vec::new(),
        },
        r.try_get(12)?,
    ))
}

fn step_of(kind: &str, date: &str, data: &str) -> Option<Step> {
    let kind = StepKind::from_code(kind)?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let mut s: Step = serde_json::from_str(data).unwrap_or_else(|_| Step::on(kind, date));
    s.kind = kind;
    s.date = date;
    Some(s)
}

fn due_view(d: &Due, today: NaiveDate) -> DueView {
    DueView {
        step: d.step.code().into(),
        label: d.label.clone(),
        date: d.date.to_string(),
        kind: d.kind.into(),
        source: d.source.clone(),
        overdue: d.kind == "deadline" && d.date < today,
    }
}

impl Store {
    /// The deployment's rule overlays, oldest first.
    pub async fn rule_overlays(&self) -> Result<Vec<Overlay>> {
        let rows = sqlx::query("SELECT body FROM rule_overlays ORDER BY effective, id")
            .fetch_all(self.db.pool())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let body: String = r.try_get(0)?;
            // Stored overlays were validated on the way in.
            if let Ok(o) = serde_json::from_str::<Overlay>(&body) {
                out.push(o);
            }
        }
        Ok(out)
    }

    /// Adds a local overlay (county or province rules), validated, audited. Admins and
    /// organization departments only (they edit the whole scope's rules).
    pub async fn add_rule_overlay(&self, scope: &Scope, o: &Overlay) -> Result<Overlay> {
        // Rules are the deployment's: administrators and organization departments only.
        let may = scope.is_department(None);
        if !may {
            return Err(StoreError::Forbidden);
        }
        o.validate()
            .map_err(|e| StoreError::invalid(e.code(), e.to_string()))?;
        if o.code.trim().is_empty() || o.source_document.trim().is_empty() {
            return Err(bad("rules.overlay_invalid", "规则覆盖须有代码和依据文件"));
        }
        let mut tx = self.db.begin().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM rule_overlays WHERE code = $1")
                .bind(&o.code)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            return Err(StoreError::Duplicate(format!("规则覆盖 {} 已存在", o.code)));
        }
        sqlx::query(
            "INSERT INTO rule_overlays (code, effective, body, actor_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&o.code)
        .bind(o.effective.to_string())
        .bind(serde_json::to_string(o)?)
        .bind(scope.user_id)
        .bind(crate::now_ts())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "rules.overlay_add",
                entity: "rule_overlay",
                entity_id: Some(o.code.clone()),
                scope_path: None,
                before: None,
                after: Some(serde_json::to_value(o)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(o.clone())
    }

    async fn person_and_path(&self, scope: &Scope, id: i64) -> Result<(PersonView, String)> {
        let mut q = Sql::new(&format!(
            "SELECT {PERSON_COLS} FROM dev_people p JOIN orgs o ON o.id = p.org_id WHERE p.id = "
        ));
        q.bind(id);
        let r = q
            .query()
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let (v, path) = person_row(&r)?;
        if !scope.allows(Action::MemberRead, &path) {
            return Err(StoreError::NotFound);
        }
        Ok((v, path))
    }

    async fn steps_of(&self, person_id: i64) -> Result<(Vec<Step>, Vec<StepView>)> {
        let rows = sqlx::query(
            "SELECT id, kind, date, data, vote, note, recorded_at FROM dev_steps WHERE person_id = $1 ORDER BY date, id",
        )
        .bind(person_id)
        .fetch_all(self.db.pool())
        .await?;
        let mut steps = Vec::new();
        let mut views = Vec::new();
        for r in rows {
            let kind: String = r.try_get(1)?;
            let date: String = r.try_get(2)?;
            let data: String = r.try_get(3)?;
            if let Some(s) = step_of(&kind, &date, &data) {
                steps.push(s);
            }
            views.push(StepView {
                id: r.try_get(0)?,
                label: StepKind::from_code(&kind).map_or_else(|| kind.clone(), |k| k.zh().into()),
                kind,
                date,
                data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
                vote: r.try_get(4)?,
                note: r.try_get(5)?,
                recorded_at: r.try_get(6)?,
            });
        }
        Ok((steps, views))
    }

    /// One person with their steps and what is due next.
    pub async fn dev_person(&self, scope: &Scope, id: i64) -> Result<PersonView> {
        let (mut v, _) = self.person_and_path(scope, id).await?;
        let (steps, views) = self.steps_of(id).await?;
        let overlays = self.rule_overlays().await?;
        let cal = self.work_calendar().await?;
        let rules = dd::Rules {
            overlays: &overlays,
            calendar: &cal,
        };
        let today = self.reference_date().await?;
        v.due = next_due(&steps, &rules)
            .map_err(|e| bad(e.code, e.message))?
            .iter()
            .map(|d| due_view(d, today))
            .collect();
        v.steps = views;
        Ok(v)
    }

    /// Registers an application (the first step), checked like every step.
    pub async fn create_applicant(&self, scope: &Scope, n: &NewApplicant) -> Result<PersonView> {
        let v = validate(
            &n.name,
            &n.gender,
            n.ethnicity.as_deref(),
            &n.birth_date,
            n.id_number.as_deref(),
            &n.education,
            &n.occupation,
            None,
            n.phone.as_deref(),
        )?;
        let date = parse_date(&n.application_date, "申请")?;
        if date > self.reference_date().await? {
            return Err(bad("development.date_future", "日期不能晚于今天"));
        }
        let (path, _) = self.org_path(n.org_id).await?.ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::MemberRead, &path) {
            return Err(StoreError::NotFound);
        }
        if !scope.allows(Action::MemberWrite, &path) {
            return Err(StoreError::Forbidden);
        }
        // The applicant is admitted into this org at the end of the pipeline: it must be one
        // that can hold members, checked now rather than at admission years later.
        let kind: String = sqlx::query_scalar("SELECT kind FROM orgs WHERE id = $1")
            .bind(n.org_id)
            .fetch_one(self.db.pool())
            .await?;
        crate::org::check_holds_members(&kind)?;
        let overlays = self.rule_overlays().await?;
        let cal = self.work_calendar().await?;
        let rules = dd::Rules {
            overlays: &overlays,
            calendar: &cal,
        };
        let step = Step::on(StepKind::Application, date);
        check_step(v.birth, &[], &step, &rules).map_err(|e| bad(e.code, e.message))?;
        let (id_enc, id_hash, id_tail) = match &v.id {
            Some(id) => (
                Some(self.crypto.encrypt(id)?),
                Some(self.crypto.blind_index(id)),
                Some(id[id.len().saturating_sub(4)..].to_string()),
            ),
            None => (None, None, None),
        };
        let now = crate::now_ts();
        let mut tx = self.db.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO dev_people (org_id, name, name_initials, gender, ethnicity, birth_date, id_enc, id_hash, id_tail, education, occupation, phone, stage, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id",
        )
        .bind(n.org_id)
        .bind(&v.name)
        .bind(&v.initials)
        .bind(v.gender.code())
        .bind(&v.ethnicity)
        .bind(v.birth.to_string())
        .bind(id_enc)
        .bind(id_hash)
        .bind(id_tail)
        .bind(v.education.code())
        .bind(v.occupation.code())
        .bind(&v.phone)
        .bind(Stage::Applicant.code())
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO dev_steps (person_id, kind, date, data, vote, note, actor_id, recorded_at) VALUES ($1, $2, $3, $4, NULL, NULL, $5, $6)",
        )
        .bind(id)
        .bind(StepKind::Application.code())
        .bind(date.to_string())
        .bind(serde_json::to_string(&step)?)
        .bind(scope.user_id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "development.apply",
                entity: "dev_person",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: None,
                after: Some(serde_json::json!({"name": v.name, "org_id": n.org_id, "date": date.to_string()})),
            },
        )
        .await?;
        tx.commit().await?;
        self.dev_person(scope, id).await
    }

    /// Records a step after checking it against the rules in force on its date. Refusals
    /// name the rule and its article; a stale `version` → 409.
    pub async fn record_step(&self, scope: &Scope, id: i64, n: &NewStep) -> Result<PersonView> {
        let (person, path) = self.person_and_path(scope, id).await?;
        if !scope.allows(Action::MemberWrite, &path) {
            return Err(StoreError::Forbidden);
        }
        let kind = StepKind::from_code(n.kind.trim()).ok_or_else(|| {
            bad(
                "development.step_invalid",
                format!("未知的发展步骤：{}", n.kind),
            )
        })?;
        if kind == StepKind::Application {
            return Err(bad(
                "development.step_invalid",
                "入党申请请用“登记入党申请”",
            ));
        }
        let date = parse_date(&n.date, "步骤")?;
        let today = self.reference_date().await?;
        if date > today {
            return Err(bad("development.date_future", "日期不能晚于今天"));
        }
        let end_date = n
            .end_date
            .as_deref()
            .map(|d| parse_date(d, "结束"))
            .transpose()?;
        let birth = parse_date(&person.birth_date, "出生")?;
        // Introducers are members of the system: full on the meeting date?
        let mut introducers = Vec::new();
        for mid in &n.introducer_ids {
            let m = self.get_member(scope, *mid).await.map_err(|e| match e {
                StoreError::NotFound => {
                    bad("development.introducer_invalid", "入党介绍人不在党员名册中")
                }
                e => e,
            })?;
            let evs = self.member_event_lites(*mid).await?;
            let st = jiceng_domain::member::state_at(&evs, Some(date));
            introducers.push(Introducer {
                name: m.name.clone(),
                full: st.is_some_and(|s| !s.probationary && !s.suspended),
                rights_suspended: false,
            });
        }
        let step = Step {
            kind,
            date,
            end_date,
            hours: n.hours,
            contacts: n.contacts,
            introducers,
            tally: n.tally.map(|t| Tally {
                entitled: t.entitled,
                present: t.present,
                ayes: t.ayes,
                written_ayes: t.written_ayes,
            }),
            months: n.months,
            special: n.special,
        };
        let (steps, _) = self.steps_of(id).await?;
        let overlays = self.rule_overlays().await?;
        let cal = self.work_calendar().await?;
        let rules = dd::Rules {
            overlays: &overlays,
            calendar: &cal,
        };
        let vote = check_step(birth, &steps, &step, &rules).map_err(|e| bad(e.code, e.message))?;
        let mut after_steps = steps.clone();
        after_steps.push(step.clone());
        let stage = dd::stage(&after_steps).unwrap_or(Stage::Applicant);
        let end = probation_end(&after_steps, &rules).map_err(|e| bad(e.code, e.message))?;
        if kind == StepKind::ConversionApproval && end.is_some_and(|e| e > today) {
            return Err(bad("development.date_future", "预备期尚未期满"));
        }
        let mut data = serde_json::to_value(&step)?;
        data["introducer_ids"] = serde_json::json!(n.introducer_ids);
        let now = crate::now_ts();
        let mut tx = self.db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE dev_people SET stage = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
        )
        .bind(stage.code())
        .bind(&now)
        .bind(id)
        .bind(n.version)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                current: person.version,
            });
        }
        sqlx::query(
            "INSERT INTO dev_steps (person_id, kind, date, data, vote, note, actor_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(kind.code())
        .bind(date.to_string())
        .bind(data.to_string())
        .bind(vote.as_ref().map(|v| v.derivation_zh.clone()))
        .bind(opt_trim(&n.note))
        .bind(scope.user_id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        // The member record follows the pipeline.
        let mut member_changed = person.member_id;
        match kind {
            StepKind::Approval => {
                let meeting = after_steps
                    .iter()
                    .rev()
                    .find(|s| s.kind == StepKind::BranchMeeting)
                    .map_or(date, |s| s.date);
                let id_number = self.dev_id_number(id).await?;
                let mid = self
                    .create_member_in(
                        &mut tx,
                        scope,
                        &NewMember {
                            org_id: person.org_id,
                            name: person.name.clone(),
                            gender: person.gender.clone(),
                            ethnicity: Some(self.dev_ethnicity(id).await?),
                            birth_date: person.birth_date.clone(),
                            id_number,
                            education: person.education.clone(),
                            occupation: person.occupation.clone(),
                            join_date: meeting.to_string(),
                            ..Default::default()
                        },
                        today,
                    )
                    .await?;
                sqlx::query("UPDATE dev_people SET member_id = $1 WHERE id = $2")
                    .bind(mid)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                member_changed = Some(mid);
            }
            StepKind::ConversionApproval | StepKind::Extension | StepKind::Cancellation => {
                let mid = person.member_id.ok_or_else(|| {
                    bad(
                        "development.member_missing",
                        "尚未接收为预备党员，没有党员记录",
                    )
                })?;
                let (ev_kind, ev_date) = match kind {
                    StepKind::ConversionApproval => {
                        (MemberEventKind::Converted, end.unwrap_or(date))
                    }
                    StepKind::Extension => (MemberEventKind::ProbationExtended, date),
                    _ => (MemberEventKind::ProbationCancelled, date),
                };
                let version: i64 = sqlx::query_scalar("SELECT version FROM members WHERE id = $1")
                    .bind(mid)
                    .fetch_one(&mut *tx)
                    .await?;
                self.add_member_event_in(
                    &mut tx,
                    scope,
                    mid,
                    &NewMemberEvent {
                        version,
                        kind: ev_kind.code().into(),
                        date: ev_date.to_string(),
                        org_id: None,
                        letter_no: None,
                        note: Some(format!("发展党员流程：{}", kind.zh())),
                        probationary: false,
                    },
                    ev_kind,
                    ev_date,
                )
                .await?;
            }
            _ => {}
        }
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "development.step",
                entity: "dev_person",
                entity_id: Some(id.to_string()),
                scope_path: Some(path),
                before: Some(serde_json::json!({"stage": person.stage, "version": person.version})),
                after: Some(serde_json::json!({"step": kind.code(), "date": date.to_string(), "stage": stage.code(), "vote": vote.as_ref().map(|v| v.derivation_zh.clone())})),
            },
        )
        .await?;
        tx.commit().await?;
        if let Some(mid) = member_changed.filter(|_| {
            matches!(
                kind,
                StepKind::Approval
                    | StepKind::ConversionApproval
                    | StepKind::Extension
                    | StepKind::Cancellation
            )
        }) {
            self.stats_member_changed(mid).await;
        }
        self.dev_person(scope, id).await
    }

    async fn dev_id_number(&self, id: i64) -> Result<Option<String>> {
        let enc: Option<String> = sqlx::query_scalar("SELECT id_enc FROM dev_people WHERE id = $1")
            .bind(id)
            .fetch_one(self.db.pool())
            .await?;
        enc.map(|e| self.crypto.decrypt(&e)).transpose()
    }

    async fn dev_ethnicity(&self, id: i64) -> Result<String> {
        Ok(
            sqlx::query_scalar("SELECT ethnicity FROM dev_people WHERE id = $1")
                .bind(id)
                .fetch_one(self.db.pool())
                .await?,
        )
    }

    /// A member's events as the roster fold reads them.
    async fn member_event_lites(
        &self,
        member_id: i64,
    ) -> Result<Vec<jiceng_domain::member::EventLite>> {
        Ok(self.engine_member(member_id).await?.1)
    }

    /// The pipeline within scope (and `org`'s subtree), newest first.
    pub async fn list_dev_people(
        &self,
        scope: &Scope,
        f: &PersonFilter,
    ) -> Result<Page<PersonView>> {
        let paging = Paging::new(f.page, f.page_size);
        let root = match f.org {
            Some(org) => Some(self.get_org(scope, org).await?.path),
            None => None,
        };
        let build = |select: &str| {
            let mut q = Sql::new(select);
            q.push(" FROM dev_people p JOIN orgs o ON o.id = p.org_id WHERE 1 = 1");
            scope.filter_paths(&mut q, "o.path", Action::MemberRead);
            if let Some(p) = &root {
                q.push(" AND o.path >= ")
                    .bind(p.clone())
                    .push(" AND o.path < ")
                    .bind(path_upper(p));
            }
            if let Some(st) = f.stage.as_deref().filter(|s| !s.is_empty()) {
                q.push(" AND p.stage = ").bind(st.to_string());
            }
            if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                q.push(" AND (p.name LIKE ")
                    .bind(format!("%{text}%"))
                    .push(" OR p.name_initials LIKE ")
                    .bind(format!("{}%", text.to_lowercase()))
                    .push(")");
            }
            q
        };
        let total: i64 = build("SELECT COUNT(*)")
            .scalar()
            .fetch_one(self.db.pool())
            .await?;
        let mut q = build(&format!("SELECT {PERSON_COLS}"));
        q.push(" ORDER BY p.id DESC LIMIT ")
            .bind(paging.page_size)
            .push(" OFFSET ")
            .bind((paging.page - 1) * paging.page_size);
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            items.push(person_row(&r)?.0);
        }
        Ok(Page {
            items,
            total,
            page: paging.page,
            page_size: paging.page_size,
        })
    }

    /// Counts per stage in a subtree (the pipeline board); 预备党员 from the roster.
    pub async fn dev_board(&self, scope: &Scope, org: i64) -> Result<Vec<BoardColumn>> {
        let root = self.get_org(scope, org).await?;
        if !scope.allows(Action::MemberRead, &root.path) {
            return Err(StoreError::NotFound);
        }
        let rows = sqlx::query(
            "SELECT p.stage, COUNT(*) FROM dev_people p JOIN orgs o ON o.id = p.org_id WHERE o.path >= $1 AND o.path < $2 GROUP BY p.stage",
        )
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .fetch_all(self.db.pool())
        .await?;
        let mut by: HashMap<String, i64> = HashMap::new();
        for r in rows {
            by.insert(r.try_get(0)?, r.try_get(1)?);
        }
        // 预备党员 are counted on the roster: every probationary member of the subtree,
        // whether admitted through this pipeline (the approval puts them on the roster),
        // before the system was used, or transferred in on probation — so that the board
        // and the roster never disagree.
        let on_roster: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id \
             WHERE m.active = 1 AND m.status = $3 AND o.path >= $1 AND o.path < $2",
        )
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .bind(jiceng_domain::member::MemberStatus::Probationary.code())
        .fetch_one(self.db.pool())
        .await?;
        by.insert(Stage::Probationary.code().into(), on_roster);
        Ok(Stage::ALL
            .iter()
            .map(|s| BoardColumn {
                stage: s.code().into(),
                label: s.zh().into(),
                count: by.get(s.code()).copied().unwrap_or(0),
            })
            .collect())
    }

    /// What is due in a subtree within `days` of today (overdue first), over every person
    /// still in the pipeline.
    pub async fn dev_due(&self, scope: &Scope, org: i64, days: i64) -> Result<Vec<DueRow>> {
        let root = self.get_org(scope, org).await?;
        if !scope.allows(Action::MemberRead, &root.path) {
            return Err(StoreError::NotFound);
        }
        let today = self.reference_date().await?;
        let horizon = today + chrono::Days::new(days.clamp(0, 3660) as u64);
        let rows = sqlx::query(
            "SELECT p.id, p.name, o.name, p.stage, s.kind, s.date, s.data FROM dev_people p JOIN orgs o ON o.id = p.org_id \
             JOIN dev_steps s ON s.person_id = p.id \
             WHERE o.path >= $1 AND o.path < $2 AND p.stage IN ('applicant', 'activist', 'candidate', 'probationary') \
             ORDER BY p.id, s.date, s.id",
        )
        .bind(&root.path)
        .bind(path_upper(&root.path))
        .fetch_all(self.db.pool())
        .await?;
        let overlays = self.rule_overlays().await?;
        let cal = self.work_calendar().await?;
        let rules = dd::Rules {
            overlays: &overlays,
            calendar: &cal,
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < rows.len() {
            let pid: i64 = rows[i].try_get(0)?;
            let (name, org_name, stage): (String, String, String) = (
                rows[i].try_get(1)?,
                rows[i].try_get(2)?,
                rows[i].try_get(3)?,
            );
            let mut steps = Vec::new();
            while i < rows.len() && rows[i].try_get::<i64, _>(0)? == pid {
                let (k, d, data): (String, String, String) = (
                    rows[i].try_get(4)?,
                    rows[i].try_get(5)?,
                    rows[i].try_get(6)?,
                );
                if let Some(s) = step_of(&k, &d, &data) {
                    steps.push(s);
                }
                i += 1;
            }
            for d in next_due(&steps, &rules).map_err(|e| bad(e.code, e.message))? {
                if d.date <= horizon {
                    out.push(DueRow {
                        person_id: pid,
                        name: name.clone(),
                        org_name: org_name.clone(),
                        stage_label: Stage::from_code(&stage)
                            .map_or_else(|| stage.clone(), |s| s.zh().into()),
                        due: due_view(&d, today),
                    });
                }
            }
        }
        out.sort_by(|a, b| (!a.due.overdue, &a.due.date).cmp(&(!b.due.overdue, &b.due.date)));
        Ok(out)
    }
}

/// The development figures of a subtree and year: new members (T16 of the 年报), probation
/// outcomes with the on-time conversion rate (T15), and the pipeline now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DevStats {
    /// Year.
    pub year: i32,
    /// New members: the columns of T16 row 1 (总数, 女, 少数民族, 6 age bands, 6 education levels).
    pub new_members: Vec<(String, i64)>,
    /// New members by occupation class (T16 rows 2–9).
    pub by_occupation: Vec<(String, i64)>,
    /// Converted on time at the end of probation (T15 C).
    pub converted: i64,
    /// Probation extended (T15 F).
    pub extended: i64,
    /// Probation cancelled (T15 G).
    pub cancelled: i64,
    /// converted / (converted + extended + cancelled), percent (按期转正率).
    pub on_time_rate: f64,
    /// People in the pipeline now, per stage.
    pub pipeline: Vec<BoardColumn>,
}

impl Store {
    /// Development figures of a subtree for a year, from the same computation as the 年报.
    pub async fn dev_stats(&self, scope: &Scope, org: i64, year: i32) -> Result<DevStats> {
        let (r, _) = self.annual_report(scope, org, year, None, false).await?;
        let table = |code: &str| r.tables.iter().find(|t| t.code == code);
        let mut new_members = Vec::new();
        let mut by_occupation = Vec::new();
        if let Some(t) = table("T16").filter(|t| !t.cells.is_empty()) {
            for (c, col) in t.cols.iter().enumerate() {
                new_members.push((col.label.clone(), t.cells[0][c]));
            }
            for (i, row) in t.rows.iter().enumerate().skip(1) {
                by_occupation.push((row.label.clone(), t.cells[i][0]));
            }
        }
        let t15 = |key: &str| {
            table("T15")
                .and_then(|t| {
                    let c = t.cols.iter().position(|c| c.key == key)?;
                    t.cells.first().map(|row| row[c])
                })
                .unwrap_or(0)
        };
        let (converted, extended, cancelled) = (t15("C"), t15("F"), t15("G"));
        let decided = converted + extended + cancelled;
        Ok(DevStats {
            year,
            new_members,
            by_occupation,
            converted,
            extended,
            cancelled,
            on_time_rate: jiceng_domain::new_org::rate(converted, decided),
            pipeline: self.dev_board(scope, org).await?,
        })
    }
}

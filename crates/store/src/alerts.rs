//! One 预警 list per subtree: everything that is overdue or falls due
//! soon, gathered from the areas that compute their own deadlines — the org structure
//! (re-elections, branch sizes), the development pipeline, floating members out of contact,
//! members the records show as self-withdrawn, transfers left in transit, rectification
//! plans past their deadline.

use chrono::NaiveDate;
use serde::Serialize;

use crate::auth::Scope;
use crate::error::{Result, StoreError};
use crate::floating::FloatingFilter;
use crate::transfer::TransferFilter;
use crate::Store;

/// Days after which a transfer still in transit is flagged.
pub const TRANSFER_TRANSIT_DAYS: i64 = 30;

/// One item of the list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Alert {
    /// `org`, `development`, `floating`, `org_life`, `transfer` or `rectification`.
    pub area: String,
    /// Stable code.
    pub code: String,
    /// `overdue`, `warning` or `info`.
    pub severity: String,
    /// Whom or what it is about.
    pub subject: String,
    /// Id of that record in its area (org, person, floating record, member, transfer, plan).
    pub subject_id: i64,
    /// Org name.
    pub org_name: String,
    /// The date concerned.
    pub due: Option<String>,
    /// Chinese message.
    pub message: String,
}

fn rank(severity: &str) -> u8 {
    match severity {
        "overdue" => 0,
        "warning" => 1,
        _ => 2,
    }
}

impl Store {
    /// The 预警 list of a subtree: overdue first, then by date; items due within `days`.
    pub async fn alerts(&self, scope: &Scope, org_id: i64, days: i64) -> Result<Vec<Alert>> {
        let root = self.get_org(scope, org_id).await?;
        let today = self.reference_date().await?;
        let mut out = Vec::new();
        for w in self.warnings(scope, Some(org_id), today).await? {
            out.push(Alert {
                area: "org".into(),
                code: w.code,
                severity: w.severity,
                subject: w.org_name.clone(),
                subject_id: w.org_id,
                org_name: w.org_name,
                due: w.due,
                message: w.message,
            });
        }
        if let Ok(due) = self.dev_due(scope, org_id, days).await {
            for d in due {
                out.push(Alert {
                    area: "development".into(),
                    code: format!("development.{}", d.due.step),
                    severity: if d.due.overdue {
                        "overdue"
                    } else if d.due.kind == "deadline" {
                        "warning"
                    } else {
                        "info"
                    }
                    .into(),
                    subject: d.name,
                    subject_id: d.person_id,
                    org_name: d.org_name,
                    message: format!(
                        "{}：{}{}（{}）",
                        d.stage_label,
                        d.due.label,
                        if d.due.kind == "deadline" {
                            "期限"
                        } else {
                            "最早可于"
                        },
                        d.due.source
                    ),
                    due: Some(d.due.date),
                });
            }
        }
        let floating = self
            .list_floating(
                scope,
                &FloatingFilter {
                    org: Some(org_id),
                    due: Some(true),
                    page_size: Some(500),
                    ..Default::default()
                },
            )
            .await;
        if let Ok(p) = floating {
            for f in p.items {
                out.push(Alert {
                    area: "floating".into(),
                    code: "floating.lost_contact_due".into(),
                    severity: "overdue".into(),
                    message: format!(
                        "流动党员{}已 {} 天未与党组织联系，应确认是否失去联系",
                        f.member_name, f.days_since_contact
                    ),
                    subject: f.member_name,
                    subject_id: f.id,
                    org_name: f.org_name,
                    due: f.lost_due_date,
                });
            }
        }
        let proposals = self.self_withdrawal_proposals(scope, org_id, None).await;
        if let Err(StoreError::Invalid {
            code: "org_life.scope_too_large",
            message,
        }) = &proposals
        {
            out.push(Alert {
                area: "org_life".into(),
                code: "self_withdrawal.scope_too_large".into(),
                severity: "info".into(),
                subject: root.name.clone(),
                subject_id: root.id,
                org_name: root.name.clone(),
                due: None,
                message: message.clone(),
            });
        }
        if let Ok(p) = proposals {
            for b in &p.branches_short {
                out.push(Alert {
                    area: "org_life".into(),
                    code: "org_life.branch_short".into(),
                    severity: "warning".into(),
                    subject: b.org_name.clone(),
                    subject_id: b.org_id,
                    org_name: b.org_name.clone(),
                    due: Some(p.as_of.clone()),
                    message: b.text.clone(),
                });
            }
            for m in p.items {
                let found: Vec<&str> = m.grounds.iter().map(|g| g.text.as_str()).collect();
                out.push(Alert {
                    area: "org_life".into(),
                    code: "self_withdrawal.proposed".into(),
                    severity: "warning".into(),
                    message: format!(
                        "{}；属自行脱党情形，应经支部大会讨论决定除名并报上级党组织批准（{}）",
                        found.join("；"),
                        p.source
                    ),
                    subject: m.name,
                    subject_id: m.member_id,
                    org_name: m.org_name,
                    due: Some(p.as_of.clone()),
                });
            }
        }
        let transfers = self
            .list_transfers(
                scope,
                &TransferFilter {
                    org: Some(org_id),
                    status: Some("pending".into()),
                    page_size: Some(500),
                    ..Default::default()
                },
            )
            .await;
        if let Ok(p) = transfers {
            for t in p.items {
                let issued = NaiveDate::parse_from_str(&t.issued, "%Y-%m-%d").ok();
                let waited = issued.map(|d| (today - d).num_days()).unwrap_or(0);
                if waited < TRANSFER_TRANSIT_DAYS {
                    continue;
                }
                out.push(Alert {
                    area: "transfer".into(),
                    code: "transfer.in_transit_long".into(),
                    severity: "warning".into(),
                    message: format!(
                        "{}的组织关系转接自 {} 开出后已在途 {waited} 天，接收方尚未确认",
                        t.member_name, t.issued
                    ),
                    subject: t.member_name,
                    subject_id: t.id,
                    org_name: t.from_org_name.unwrap_or_default(),
                    due: Some(t.issued),
                });
            }
        }
        if let Ok((plans, missing)) = self.plans(scope, org_id, None).await {
            for p in plans.into_iter().filter(|p| p.overdue) {
                out.push(Alert {
                    area: "rectification".into(),
                    code: "rectification.overdue".into(),
                    severity: "overdue".into(),
                    message: format!("{}年度整改方案已过期限 {}，尚未完成", p.year, p.deadline),
                    subject: p.org_name.clone(),
                    subject_id: p.id,
                    org_name: p.org_name,
                    due: Some(p.deadline),
                });
            }
            for (id, name, tier) in missing {
                out.push(Alert {
                    area: "rectification".into(),
                    code: "rectification.missing".into(),
                    severity: "warning".into(),
                    message: format!("评定为“{tier}”，尚未制定整改方案"),
                    subject: name.clone(),
                    subject_id: id,
                    org_name: name,
                    due: None,
                });
            }
        }
        out.sort_by(|a, b| {
            (rank(&a.severity), a.due.as_deref().unwrap_or("9999"))
                .cmp(&(rank(&b.severity), b.due.as_deref().unwrap_or("9999")))
        });
        Ok(out)
    }
}

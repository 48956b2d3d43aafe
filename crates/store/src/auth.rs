//! Users, roles on orgs, sessions, and the one authorization function.
//!
//! A [`Scope`] is what every repository call receives: who is acting, from where, and on
//! which subtrees. Repositories turn it into SQL filters themselves, so a handler cannot
//! forget it; anything outside it reads as absent (404).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{self, Entry};
use crate::error::{Result, StoreError};
use crate::sql::{path_upper, Sql};
use crate::Store;

jiceng_domain::coded_enum! {
    /// Role held on an org (SPEC §1).
    Role {
        Admin = ("admin", "系统管理员"),
        OrgDept = ("org_dept", "组织部门"),
        Committee = ("committee", "党（工）委书记/组织委员"),
        Branch = ("branch", "支部书记/组织委员"),
        Member = ("member", "党员本人"),
    }
}

/// A role on one org's subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Grant {
    /// The role.
    #[schema(value_type = String)]
    pub role: Role,
    /// Org the role is held on.
    pub org_id: i64,
    /// That org's materialized path.
    pub path: String,
    /// That org's name.
    pub org_name: String,
}

/// What a request may touch (deny by default).
#[derive(Debug, Clone)]
pub struct Scope {
    /// Acting user (None for the system itself: CLI, demo, migrations).
    pub user_id: Option<i64>,
    /// Acting user name (recorded in the audit log).
    pub username: String,
    /// Client address (recorded in the audit log).
    pub client_addr: Option<String>,
    /// Roles held.
    pub grants: Vec<Grant>,
    /// The member record of a self-service user.
    pub member_id: Option<i64>,
    system: bool,
}

/// Everything that is authorized somewhere (one function decides, see [`Scope::allows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See an org.
    OrgRead,
    /// Edit an org's attributes and committee.
    OrgEdit,
    /// Create children, move, dissolve (structure).
    OrgStructure,
    /// See members.
    MemberRead,
    /// Create and edit members, record their events.
    MemberWrite,
    /// See full ID numbers.
    IdReveal,
    /// Read the audit log.
    AuditRead,
    /// Create users and grant roles.
    UserManage,
    /// Statistics over a subtree.
    StatsRead,
}

fn role_allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => true,
        Role::OrgDept => !matches!(action, UserManage),
        Role::Committee => matches!(
            action,
            OrgRead | OrgEdit | OrgStructure | MemberRead | MemberWrite | StatsRead
        ),
        Role::Branch => matches!(
            action,
            OrgRead | OrgEdit | MemberRead | MemberWrite | StatsRead
        ),
        Role::Member => false,
    }
}

fn within(path: &str, root: &str) -> bool {
    path.starts_with(root)
}

impl Scope {
    /// The system itself (CLI commands run by the operator): everything allowed.
    pub fn system(label: &str) -> Scope {
        Scope {
            user_id: None,
            username: label.to_string(),
            client_addr: None,
            grants: Vec::new(),
            member_id: None,
            system: true,
        }
    }

    /// A user's scope from their grants.
    pub fn user(user_id: i64, username: &str, grants: Vec<Grant>, member_id: Option<i64>) -> Scope {
        Scope {
            user_id: Some(user_id),
            username: username.to_string(),
            client_addr: None,
            grants,
            member_id,
            system: false,
        }
    }

    /// With the client's address (for the audit log).
    pub fn with_addr(mut self, addr: Option<String>) -> Scope {
        self.client_addr = addr;
        self
    }

    /// True for the system scope.
    pub fn is_system(&self) -> bool {
        self.system
    }

    /// Whether the scope speaks for the organization department over `path` (an
    /// administrator or organization-department grant covering it; any such grant when
    /// `path` is `None`): deployment rules, the calendar and rating decisions are theirs.
    pub fn is_department(&self, path: Option<&str>) -> bool {
        self.system
            || self.grants.iter().any(|g| {
                matches!(g.role, Role::Admin | Role::OrgDept)
                    && path.is_none_or(|p| p.starts_with(g.path.as_str()))
            })
    }

    /// The one authorization decision: may this scope do `action` on the org at `path`?
    pub fn allows(&self, action: Action, path: &str) -> bool {
        if self.system {
            return true;
        }
        self.grants
            .iter()
            .any(|g| role_allows(g.role, action) && within(path, &g.path))
    }

    /// Whether the scope may change the structure around `path` (create below it is
    /// `allows(OrgStructure, path)`; moving or dissolving the org at `path` needs a grant
    /// strictly above it).
    pub fn allows_restructure(&self, path: &str) -> bool {
        if self.system {
            return true;
        }
        self.grants.iter().any(|g| {
            role_allows(g.role, Action::OrgStructure) && within(path, &g.path) && path != g.path
        })
    }

    /// Subtree roots on which `action` is allowed (for SQL filters).
    pub fn roots_for(&self, action: Action) -> Vec<String> {
        let mut roots: Vec<String> = self
            .grants
            .iter()
            .filter(|g| role_allows(g.role, action))
            .map(|g| g.path.clone())
            .collect();
        roots.sort();
        // Drop roots nested in another root.
        let mut out: Vec<String> = Vec::new();
        for r in roots {
            if !out.iter().any(|o| within(&r, o)) {
                out.push(r);
            }
        }
        out
    }

    /// Appends `AND (<col> in one of the allowed subtrees)` to a query.
    pub fn filter_paths(&self, sql: &mut Sql, col: &str, action: Action) {
        if self.system {
            return;
        }
        let roots = self.roots_for(action);
        sql.push(" AND (");
        if roots.is_empty() {
            sql.push("1=0");
        }
        for (i, r) in roots.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push("(")
                .push(col)
                .push(" >= ")
                .bind(r.as_str())
                .push(" AND ")
                .push(col)
                .push(" < ")
                .bind(path_upper(r))
                .push(")");
        }
        sql.push(")");
    }

    /// Roots for reading the audit log.
    pub fn audit_roots(&self) -> Vec<String> {
        self.roots_for(Action::AuditRead)
    }

    /// May read the audit log at all.
    pub fn may_read_audit(&self) -> bool {
        self.system || !self.audit_roots().is_empty()
    }

    /// Whether full ID numbers may be shown for a member in `path`.
    pub fn may_reveal_id(&self, path: &str) -> bool {
        self.allows(Action::IdReveal, path)
    }
}

/// A user as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserInfo {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Must change the password at next login.
    pub must_change_password: bool,
    /// Roles.
    pub roles: Vec<Grant>,
    /// Linked member record (self-service).
    pub member_id: Option<i64>,
}

/// A new user.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    /// Login name (letters, digits, `_.-`, 2–64 characters).
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Initial password.
    pub password: String,
    /// Role code.
    pub role: String,
    /// Org the role is held on.
    pub org_id: i64,
    /// Member record (for role `member`).
    pub member_id: Option<i64>,
    /// Force a change at first login (temporary password).
    #[serde(default)]
    pub temporary: bool,
}

/// Why a login failed (the API answers all but `Locked` with the same message).
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown user or wrong password.
    #[error("用户名或密码错误")]
    BadCredentials,
    /// Too many failures.
    #[error("登录失败次数过多，账号已锁定至 {until}")]
    Locked {
        /// Lock end (RFC 3339).
        until: String,
    },
    /// Account disabled.
    #[error("账号已停用")]
    Disabled,
    /// Store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Login policy (SPEC §5, 等保三级): lockout after `max_failures` for `lock_minutes`.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Failures before lockout.
    pub max_failures: i64,
    /// Lockout length.
    pub lock_minutes: i64,
    /// Session idle timeout.
    pub idle_minutes: i64,
    /// Session absolute lifetime.
    pub max_hours: i64,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            max_failures: 5,
            lock_minutes: 15,
            idle_minutes: 30,
            max_hours: 12,
        }
    }
}

/// Password policy: at least 8 characters with three of: lower, upper, digit, symbol.
pub fn check_password_strength(pw: &str) -> Result<()> {
    let classes = [
        pw.chars().any(|c| c.is_ascii_lowercase()),
        pw.chars().any(|c| c.is_ascii_uppercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if pw.chars().count() < 8 || classes < 3 {
        return Err(StoreError::invalid(
            "auth.weak_password",
            "密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少三类",
        ));
    }
    Ok(())
}

/// Hashes a password with argon2id.
pub fn hash_password(pw: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Crypto(format!("密码哈希失败: {e}")))
}

fn verify_password(pw: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn ts_after(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Store {
    /// Creates a user with one role (audited).
    pub async fn create_user(&self, scope: &Scope, u: &NewUser) -> Result<UserInfo> {
        let role: Role = u.role.parse().map_err(|_| {
            StoreError::invalid("auth.role_unknown", format!("未知角色: {}", u.role))
        })?;
        let uname = u.username.trim();
        if uname.len() < 2
            || uname.len() > 64
            || !uname
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return Err(StoreError::invalid(
                "auth.username_invalid",
                "用户名须为 2–64 位字母、数字或 _ . -",
            ));
        }
        check_password_strength(&u.password)?;
        let org = self.org_path(u.org_id).await?.ok_or(StoreError::NotFound)?;
        if !scope.allows(Action::UserManage, &org.0) {
            return Err(StoreError::NotFound);
        }
        if role == Role::Member && u.member_id.is_none() {
            return Err(StoreError::invalid(
                "auth.member_required",
                "党员本人账号须关联党员记录",
            ));
        }
        let hash = hash_password(&u.password)?;
        let mut tx = self.db.begin().await?;
        let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
            .bind(uname)
            .fetch_one(&mut *tx)
            .await?;
        if exists > 0 {
            return Err(StoreError::Duplicate(format!("用户名 {uname} 已存在")));
        }
        let now = crate::now_ts();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, member_id, must_change_password, failed_logins, disabled, version, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, 1, $7) RETURNING id",
        )
        .bind(uname)
        .bind(u.display_name.trim())
        .bind(&hash)
        .bind(u.member_id)
        .bind(i64::from(u.temporary))
        .bind(0i64)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO user_roles (user_id, role, org_id) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(role.to_string())
            .bind(u.org_id)
            .execute(&mut *tx)
            .await?;
        let info = UserInfo {
            id,
            username: uname.to_string(),
            display_name: u.display_name.trim().to_string(),
            must_change_password: u.temporary,
            roles: vec![Grant {
                role,
                org_id: u.org_id,
                path: org.0.clone(),
                org_name: org.1.clone(),
            }],
            member_id: u.member_id,
        };
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "user.create",
                entity: "user",
                entity_id: Some(id.to_string()),
                scope_path: Some(org.0),
                before: None,
                after: Some(serde_json::to_value(&info)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(info)
    }

    async fn grants_of(&self, user_id: i64) -> Result<Vec<Grant>> {
        let rows = sqlx::query(
            "SELECT r.role, r.org_id, o.path, o.name FROM user_roles r JOIN orgs o ON o.id = r.org_id WHERE r.user_id = $1 ORDER BY o.path",
        )
        .bind(user_id)
        .fetch_all(self.db.pool())
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let code: String = r.try_get(0)?;
            if let Ok(role) = code.parse::<Role>() {
                out.push(Grant {
                    role,
                    org_id: r.try_get(1)?,
                    path: r.try_get(2)?,
                    org_name: r.try_get(3)?,
                });
            }
        }
        Ok(out)
    }

    /// Checks a password, applying the lockout policy; audited either way.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client_addr: Option<String>,
        policy: &LoginPolicy,
    ) -> std::result::Result<(String, UserInfo), LoginError> {
        let row = sqlx::query(
            "SELECT id, password_hash, failed_logins, locked_until, disabled, display_name, must_change_password, member_id FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(self.db.pool())
        .await
        .map_err(StoreError::from)?;
        let Some(row) = row else {
            // Spend the same time as a real check so that user names cannot be probed.
            let _ = verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A");
            return Err(LoginError::BadCredentials);
        };
        let id: i64 = row.try_get(0).map_err(StoreError::from)?;
        let hash: String = row.try_get(1).map_err(StoreError::from)?;
        let failed: i64 = row.try_get(2).map_err(StoreError::from)?;
        let locked: Option<String> = row.try_get(3).map_err(StoreError::from)?;
        let disabled = row.try_get::<i64, _>(4).map_err(StoreError::from)? != 0;
        let display: String = row.try_get(5).map_err(StoreError::from)?;
        let must_change = row.try_get::<i64, _>(6).map_err(StoreError::from)? != 0;
        let member_id: Option<i64> = row.try_get(7).map_err(StoreError::from)?;
        let now = crate::now_ts();
        if let Some(until) = locked.filter(|u| *u > now) {
            return Err(LoginError::Locked { until });
        }
        if disabled {
            return Err(LoginError::Disabled);
        }
        let scope = Scope::user(id, username, Vec::new(), member_id).with_addr(client_addr.clone());
        // Auth events are filed under the user's own org so that auditors of that subtree see them.
        let home = self.grants_of(id).await?.first().map(|g| g.path.clone());
        if !verify_password(password, &hash) {
            let _ = failed;
            let mut tx = self.db.begin().await?;
            // Count atomically: parallel guesses each add one.
            let failed: i64 = sqlx::query_scalar(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::from)?;
            let lock = (failed >= policy.max_failures).then(|| ts_after(policy.lock_minutes));
            if let Some(until) = &lock {
                sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
                    .bind(until.clone())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from)?;
            }
            audit::record(
                &mut tx,
                &scope,
                Entry {
                    action: if lock.is_some() {
                        "auth.locked"
                    } else {
                        "auth.login_failed"
                    },
                    entity: "user",
                    entity_id: Some(id.to_string()),
                    scope_path: home.clone(),
                    before: None,
                    after: Some(serde_json::json!({"failed_logins": failed, "locked_until": lock})),
                },
            )
            .await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Err(match lock {
                Some(until) => LoginError::Locked { until },
                None => LoginError::BadCredentials,
            });
        }
        let mut token_bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut token_bytes);
        let token = hex::encode(token_bytes);
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, client_addr) VALUES ($1, $2, $3, $3, $4, $5)",
        )
        .bind(token_hash(&token))
        .bind(id)
        .bind(&now)
        .bind(ts_after(policy.max_hours * 60))
        .bind(client_addr)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        audit::record(
            &mut tx,
            &scope,
            Entry {
                action: "auth.login",
                entity: "user",
                entity_id: Some(id.to_string()),
                scope_path: home,
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        let roles = self.grants_of(id).await?;
        Ok((
            token,
            UserInfo {
                id,
                username: username.to_string(),
                display_name: display,
                must_change_password: must_change,
                roles,
                member_id,
            },
        ))
    }

    /// Resolves a session token to a scope; `None` when absent, expired or idle too long.
    /// Touches `last_seen` at most once a minute.
    pub async fn session(
        &self,
        token: &str,
        policy: &LoginPolicy,
    ) -> Result<Option<(Scope, UserInfo)>> {
        let th = token_hash(token);
        let row = sqlx::query(
            "SELECT s.user_id, s.last_seen, s.expires_at, u.username, u.display_name, u.must_change_password, u.member_id, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(&th)
        .fetch_optional(self.db.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let now = chrono::Utc::now();
        let now_s = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let last_seen: String = r.try_get(1)?;
        let expires: String = r.try_get(2)?;
        let disabled = r.try_get::<i64, _>(7)? != 0;
        let idle_limit = (now - chrono::Duration::minutes(policy.idle_minutes))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        if expires <= now_s || last_seen < idle_limit || disabled {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&th)
                .execute(self.db.pool())
                .await?;
            return Ok(None);
        }
        let touch_before = (now - chrono::Duration::seconds(60))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        if last_seen < touch_before {
            sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                .bind(&now_s)
                .bind(&th)
                .execute(self.db.pool())
                .await?;
        }
        let user_id: i64 = r.try_get(0)?;
        let username: String = r.try_get(3)?;
        let grants = self.grants_of(user_id).await?;
        let member_id: Option<i64> = r.try_get(6)?;
        let info = UserInfo {
            id: user_id,
            username: username.clone(),
            display_name: r.try_get(4)?,
            must_change_password: r.try_get::<i64, _>(5)? != 0,
            roles: grants.clone(),
            member_id,
        };
        Ok(Some((
            Scope::user(user_id, &username, grants, member_id),
            info,
        )))
    }

    /// Ends a session.
    pub async fn logout(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// Changes the caller's own password (audited). Every other session of the user ends;
    /// `keep_session` (the caller's own token) survives.
    pub async fn change_password(
        &self,
        scope: &Scope,
        old: &str,
        new: &str,
        keep_session: Option<&str>,
    ) -> Result<()> {
        let uid = scope.user_id.ok_or(StoreError::Forbidden)?;
        let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(uid)
            .fetch_one(self.db.pool())
            .await?;
        if !verify_password(old, &hash) {
            return Err(StoreError::invalid("auth.wrong_password", "原密码不正确"));
        }
        if old == new {
            return Err(StoreError::invalid(
                "auth.same_password",
                "新密码不能与原密码相同",
            ));
        }
        check_password_strength(new)?;
        let new_hash = hash_password(new)?;
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, version = version + 1 WHERE id = $3")
            .bind(new_hash)
            .bind(0i64)
            .bind(uid)
            .execute(&mut *tx)
            .await?;
        // A new password ends every session opened with the old one.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(uid)
            .bind(keep_session.map(token_hash).unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "auth.change_password",
                entity: "user",
                entity_id: Some(uid.to_string()),
                scope_path: scope.grants.first().map(|g| g.path.clone()),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Lists users whose roles lie in the caller's user-management scope.
    pub async fn list_users(&self, scope: &Scope) -> Result<Vec<UserInfo>> {
        let mut q = Sql::new(
            "SELECT DISTINCT u.id, u.username, u.display_name, u.must_change_password, u.member_id FROM users u JOIN user_roles r ON r.user_id = u.id JOIN orgs o ON o.id = r.org_id WHERE 1=1",
        );
        scope.filter_paths(&mut q, "o.path", Action::UserManage);
        q.push(" ORDER BY u.id");
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.try_get(0)?;
            out.push(UserInfo {
                id,
                username: r.try_get(1)?,
                display_name: r.try_get(2)?,
                must_change_password: r.try_get::<i64, _>(3)? != 0,
                member_id: r.try_get(4)?,
                roles: self.grants_of(id).await?,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, path: &str) -> Grant {
        Grant {
            role,
            org_id: 0,
            path: path.into(),
            org_name: String::new(),
        }
    }

    #[test]
    fn deny_by_default_and_subtrees() {
        let nobody = Scope::user(1, "x", vec![], None);
        assert!(!nobody.allows(Action::OrgRead, "/1/"));
        let town = Scope::user(2, "t", vec![grant(Role::Committee, "/1/5/")], None);
        assert!(town.allows(Action::OrgRead, "/1/5/"));
        assert!(town.allows(Action::MemberWrite, "/1/5/9/"));
        assert!(!town.allows(Action::OrgRead, "/1/50/"));
        assert!(!town.allows(Action::OrgRead, "/1/"));
        assert!(!town.allows(Action::AuditRead, "/1/5/"));
        assert!(!town.allows(Action::IdReveal, "/1/5/9/"));
        assert!(
            !town.allows_restructure("/1/5/"),
            "cannot move its own root"
        );
        assert!(town.allows_restructure("/1/5/9/"));
        let branch = Scope::user(3, "b", vec![grant(Role::Branch, "/1/5/9/")], None);
        assert!(!branch.allows(Action::OrgStructure, "/1/5/9/"));
        assert!(branch.allows(Action::MemberWrite, "/1/5/9/"));
        let member = Scope::user(4, "m", vec![grant(Role::Member, "/1/5/9/")], Some(7));
        assert!(!member.allows(Action::MemberRead, "/1/5/9/"));
        let admin = Scope::user(5, "a", vec![grant(Role::Admin, "/1/")], None);
        assert!(admin.allows(Action::UserManage, "/1/5/"));
        assert!(admin.allows(Action::IdReveal, "/1/5/"));
    }

    #[test]
    fn nested_roots_collapse() {
        let s = Scope::user(
            1,
            "x",
            vec![
                grant(Role::Committee, "/1/5/"),
                grant(Role::Branch, "/1/5/9/"),
            ],
            None,
        );
        assert_eq!(s.roots_for(Action::MemberRead), vec!["/1/5/".to_string()]);
    }

    #[test]
    fn password_policy() {
        assert!(check_password_strength("short1A").is_err());
        assert!(check_password_strength("alllowercase").is_err());
        assert!(check_password_strength("Jiceng@2004").is_ok());
        assert!(check_password_strength("abcdefg12345").is_err());
        assert!(check_password_strength("abcdefg1234A").is_ok());
    }
}

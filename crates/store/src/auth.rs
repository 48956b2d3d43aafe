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
    /// Role held on an org.
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

/// How much a role may do, for "no one grants more than they hold".
fn rank(role: Role) -> u8 {
    match role {
        Role::Admin => 4,
        Role::OrgDept => 3,
        Role::Committee => 2,
        Role::Branch => 1,
        Role::Member => 0,
    }
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

    /// Whether the scope may manage a user holding `role` on the org at `path`: it holds the
    /// user-management right on a subtree containing `path` with a role at least as strong
    /// (an administrator never grants more than it holds).
    pub fn may_grant(&self, role: Role, path: &str) -> bool {
        self.system
            || self.grants.iter().any(|g| {
                role_allows(g.role, Action::UserManage)
                    && within(path, &g.path)
                    && rank(role) <= rank(g.role)
            })
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
    /// Disabled: cannot log in, sessions ended.
    pub disabled: bool,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// Locked after failed password attempts until this time (RFC 3339), while in the future.
    pub locked_until: Option<String>,
    /// Row version (optimistic concurrency for `PATCH /users/{id}`).
    pub version: i64,
}

/// A role to grant (`PATCH /users/{id}` replaces all of a user's roles).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct GrantInput {
    /// Role code.
    pub role: String,
    /// Org the role is held on.
    pub org_id: i64,
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UserPatch {
    /// The version read (stale → 409).
    pub version: i64,
    /// Disable (true, `reason` required) or enable (false).
    pub disabled: Option<bool>,
    /// Why the account is disabled.
    pub reason: Option<String>,
    /// Replaces every role of the user (at least one).
    pub roles: Option<Vec<GrantInput>>,
    /// Display name.
    pub display_name: Option<String>,
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
    /// Force a change at first login (temporary password). Passwords set through the API
    /// by an administrator are always temporary; only the operator's CLI may clear this.
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

/// Login policy (等保三级): lockout after `max_failures` for `lock_minutes`.
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

fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Whether a session is over at `now`: its lifetime has ended (`expires_at` reached), or it
/// has been idle for `idle_minutes` or more since `last_seen`. Timestamps are RFC 3339; an
/// unreadable one ends the session.
pub fn session_over(
    now: chrono::DateTime<chrono::Utc>,
    last_seen: &str,
    expires_at: &str,
    idle_minutes: i64,
) -> bool {
    let parse = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    match (parse(last_seen), parse(expires_at)) {
        (Some(seen), Some(expires)) => {
            expires <= now || now - seen >= chrono::Duration::minutes(idle_minutes)
        }
        _ => true,
    }
}

/// Whether a request at `now` must record itself as the session's last activity. Every
/// request does (to the millisecond): the idle timeout counts from the last request itself,
/// not from a throttled copy of it, so it never ends a session early.
pub fn session_needs_touch(now: chrono::DateTime<chrono::Utc>, last_seen: &str) -> bool {
    ts(now).as_str() > last_seen
}

/// A random temporary password (16 characters, all four classes, no look-alike letters),
/// shown once to the administrator who reset it.
pub fn temporary_password() -> String {
    use rand::seq::SliceRandom;
    use rand::Rng;
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"@#%+=!?";
    let mut rng = rand::thread_rng();
    let all: Vec<u8> = [LOWER, UPPER, DIGIT, SYMBOL].concat();
    let mut out: Vec<u8> = [LOWER, UPPER, DIGIT, SYMBOL]
        .iter()
        .map(|set| set[rng.gen_range(0..set.len())])
        .collect();
    while out.len() < 16 {
        out.push(all[rng.gen_range(0..all.len())]);
    }
    out.shuffle(&mut rng);
    out.into_iter().map(char::from).collect()
}

const USER_COLS: &str = "u.id, u.username, u.display_name, u.must_change_password, u.member_id, u.disabled, u.disabled_reason, u.locked_until, u.version";

/// A user row selected with [`USER_COLS`].
fn user_from_row(r: &sqlx::any::AnyRow, roles: Vec<Grant>) -> Result<UserInfo> {
    let now = crate::now_ts();
    let locked: Option<String> = r.try_get(7)?;
    Ok(UserInfo {
        id: r.try_get(0)?,
        username: r.try_get(1)?,
        display_name: r.try_get(2)?,
        must_change_password: r.try_get::<i64, _>(3)? != 0,
        member_id: r.try_get(4)?,
        disabled: r.try_get::<i64, _>(5)? != 0,
        disabled_reason: r.try_get(6)?,
        locked_until: locked.filter(|u| *u > now),
        version: r.try_get(8)?,
        roles,
    })
}

fn self_manage() -> StoreError {
    StoreError::invalid(
        "auth.self_manage",
        "不能停用、重置或修改自己的账号角色；修改自己的密码请用“修改密码”",
    )
}

impl Store {
    /// The org path that governs a member (the current org, or for someone who has left,
    /// the org of their last event); `None` when there is no such member.
    async fn member_path(&self, member_id: i64) -> Result<Option<String>> {
        let path: Option<Option<String>> = sqlx::query_scalar(
            "SELECT mo.path FROM members m LEFT JOIN orgs mo ON mo.id = COALESCE(m.org_id, (SELECT e.org_id FROM member_events e WHERE e.member_id = m.id AND e.org_id IS NOT NULL ORDER BY e.date DESC, e.id DESC LIMIT 1)) WHERE m.id = $1",
        )
        .bind(member_id)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(path.flatten())
    }

    /// A user may be linked to a member record only when the member lies inside the
    /// administrator's scope (else 404, like any record outside it) and inside one of the
    /// orgs the user's roles are held on (`auth.member_outside_org`).
    async fn check_member_link(
        &self,
        scope: &Scope,
        member_id: i64,
        grant_paths: &[&str],
    ) -> Result<()> {
        let path = self
            .member_path(member_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !scope.is_system() && !scope.allows(Action::UserManage, &path) {
            return Err(StoreError::NotFound);
        }
        if !grant_paths.iter().any(|g| within(&path, g)) {
            return Err(StoreError::invalid(
                "auth.member_outside_org",
                "关联的党员不在该账号角色所在的组织内",
            ));
        }
        Ok(())
    }

    /// Parses and scope-checks one role to grant: unknown org or one outside the
    /// administrator's scope → 404; a role stronger than the administrator's own → 403.
    async fn resolve_grant(&self, scope: &Scope, role: &str, org_id: i64) -> Result<Grant> {
        let role: Role = role
            .parse()
            .map_err(|_| StoreError::invalid("auth.role_unknown", format!("未知角色: {role}")))?;
        let (path, org_name) = self.org_path(org_id).await?.ok_or(StoreError::NotFound)?;
        if !scope.may_grant(role, &path) {
            return Err(if scope.allows(Action::UserManage, &path) {
                StoreError::Forbidden
            } else {
                StoreError::NotFound
            });
        }
        Ok(Grant {
            role,
            org_id,
            path,
            org_name,
        })
    }

    /// Creates a user with one role (audited). A password set by an administrator through
    /// the API is temporary (changed at first login); only the system scope (the operator's
    /// CLI) may create a permanent one.
    pub async fn create_user(&self, scope: &Scope, u: &NewUser) -> Result<UserInfo> {
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
        let grant = self.resolve_grant(scope, &u.role, u.org_id).await?;
        if grant.role == Role::Member && u.member_id.is_none() {
            return Err(StoreError::invalid(
                "auth.member_required",
                "党员本人账号须关联党员记录",
            ));
        }
        if let Some(mid) = u.member_id {
            self.check_member_link(scope, mid, &[grant.path.as_str()])
                .await?;
        }
        let temporary = u.temporary || !scope.is_system();
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
        .bind(i64::from(temporary))
        .bind(0i64)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO user_roles (user_id, role, org_id) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(grant.role.to_string())
            .bind(u.org_id)
            .execute(&mut *tx)
            .await?;
        let scope_path = grant.path.clone();
        let info = UserInfo {
            id,
            username: uname.to_string(),
            display_name: u.display_name.trim().to_string(),
            must_change_password: temporary,
            roles: vec![grant],
            member_id: u.member_id,
            disabled: false,
            disabled_reason: None,
            locked_until: None,
            version: 1,
        };
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "user.create",
                entity: "user",
                entity_id: Some(id.to_string()),
                scope_path: Some(scope_path),
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

    /// Counts one failed password check (a login, or a password change from a session) in
    /// `tx`: the same counter and threshold for both, so a stolen session guesses no faster
    /// than a stranger at the login form. At the threshold the account locks for
    /// `lock_minutes` and every session of it ends. Audited (`auth.login_failed` /
    /// `auth.password_failed`, or `auth.locked`) without the password. Returns the lock end.
    async fn count_failure(
        tx: &mut crate::db::Tx,
        scope: &Scope,
        user_id: i64,
        home: Option<String>,
        failed_action: &str,
        policy: &LoginPolicy,
    ) -> Result<Option<String>> {
        // Count atomically: parallel guesses each add one.
        let failed: i64 = sqlx::query_scalar(
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
        )
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?;
        let lock = (failed >= policy.max_failures).then(|| ts_after(policy.lock_minutes));
        if let Some(until) = &lock {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
                .bind(until.clone())
                .bind(user_id)
                .execute(&mut **tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut **tx)
                .await?;
        }
        audit::record(
            tx,
            scope,
            Entry {
                action: if lock.is_some() {
                    "auth.locked"
                } else {
                    failed_action
                },
                entity: "user",
                entity_id: Some(user_id.to_string()),
                scope_path: home,
                before: None,
                after: Some(serde_json::json!({"failed_logins": failed, "locked_until": lock, "via": failed_action})),
            },
        )
        .await?;
        Ok(lock)
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
        let locked: Option<String> = row.try_get(3).map_err(StoreError::from)?;
        let disabled = row.try_get::<i64, _>(4).map_err(StoreError::from)? != 0;
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
            let mut tx = self.db.begin().await?;
            let lock =
                Self::count_failure(&mut tx, &scope, id, home, "auth.login_failed", policy).await?;
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
        let info = self.user_info(id).await?;
        Ok((token, info))
    }

    /// One user as listed (no scope check: callers have established the right to see it).
    async fn user_info(&self, id: i64) -> Result<UserInfo> {
        let r = sqlx::query(&format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let roles = self.grants_of(id).await?;
        user_from_row(&r, roles)
    }

    /// Resolves a session token to a scope; `None` when absent, expired, idle too long or
    /// the account is disabled. Every request records itself as the last activity (see
    /// [`session_needs_touch`]).
    pub async fn session(
        &self,
        token: &str,
        policy: &LoginPolicy,
    ) -> Result<Option<(Scope, UserInfo)>> {
        let th = token_hash(token);
        let row = sqlx::query(
            "SELECT s.user_id, s.last_seen, s.expires_at, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(&th)
        .fetch_optional(self.db.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let now = chrono::Utc::now();
        let last_seen: String = r.try_get(1)?;
        let expires: String = r.try_get(2)?;
        let disabled = r.try_get::<i64, _>(3)? != 0;
        if disabled || session_over(now, &last_seen, &expires, policy.idle_minutes) {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&th)
                .execute(self.db.pool())
                .await?;
            return Ok(None);
        }
        if session_needs_touch(now, &last_seen) {
            // Never moves backwards when requests race. A failed touch (e.g. SQLite busy
            // under a long write) must not fail the request: the session stays valid and the
            // next request records the activity.
            if let Err(e) = sqlx::query(
                "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2 AND last_seen < $1",
            )
            .bind(ts(now))
            .bind(&th)
            .execute(self.db.pool())
            .await
            {
                tracing::warn!(error = %e, "session activity not recorded");
            }
        }
        let user_id: i64 = r.try_get(0)?;
        let info = self.user_info(user_id).await?;
        Ok(Some((
            Scope::user(user_id, &info.username, info.roles.clone(), info.member_id),
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
    /// `keep_session` (the caller's own token) survives. A wrong old password counts as a
    /// failed login (same counter, same lockout, audited); a locked account is refused.
    pub async fn change_password(
        &self,
        scope: &Scope,
        old: &str,
        new: &str,
        keep_session: Option<&str>,
        policy: &LoginPolicy,
    ) -> std::result::Result<(), LoginError> {
        let uid = scope.user_id.ok_or(StoreError::Forbidden)?;
        let row = sqlx::query("SELECT password_hash, locked_until FROM users WHERE id = $1")
            .bind(uid)
            .fetch_one(self.db.pool())
            .await
            .map_err(StoreError::from)?;
        let hash: String = row.try_get(0).map_err(StoreError::from)?;
        let locked: Option<String> = row.try_get(1).map_err(StoreError::from)?;
        if let Some(until) = locked.filter(|u| *u > crate::now_ts()) {
            return Err(LoginError::Locked { until });
        }
        let home = scope.grants.first().map(|g| g.path.clone());
        if !verify_password(old, &hash) {
            let mut tx = self.db.begin().await?;
            let lock =
                Self::count_failure(&mut tx, scope, uid, home, "auth.password_failed", policy)
                    .await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Err(match lock {
                Some(until) => LoginError::Locked { until },
                None => StoreError::invalid("auth.wrong_password", "原密码不正确").into(),
            });
        }
        if old == new {
            return Err(StoreError::invalid("auth.same_password", "新密码不能与原密码相同").into());
        }
        check_password_strength(new)?;
        let new_hash = hash_password(new)?;
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, version = version + 1 WHERE id = $3")
            .bind(new_hash)
            .bind(0i64)
            .bind(uid)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        // A new password ends every session opened with the old one.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(uid)
            .bind(keep_session.map(token_hash).unwrap_or_default())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "auth.change_password",
                entity: "user",
                entity_id: Some(uid.to_string()),
                scope_path: home,
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Lists users whose every role lies in the caller's user-management scope (the users
    /// it may manage), with their disabled, locked and must-change state.
    pub async fn list_users(&self, scope: &Scope) -> Result<Vec<UserInfo>> {
        let mut q = Sql::new(&format!(
            "SELECT DISTINCT {USER_COLS} FROM users u JOIN user_roles r ON r.user_id = u.id JOIN orgs o ON o.id = r.org_id WHERE 1=1"
        ));
        scope.filter_paths(&mut q, "o.path", Action::UserManage);
        q.push(" AND NOT EXISTS (SELECT 1 FROM user_roles r2 JOIN orgs o2 ON o2.id = r2.org_id WHERE r2.user_id = u.id AND NOT (1=1");
        scope.filter_paths(&mut q, "o2.path", Action::UserManage);
        q.push("))");
        q.push(" ORDER BY u.id");
        let rows = q.query().fetch_all(self.db.pool()).await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.try_get(0)?;
            let roles = self.grants_of(id).await?;
            if roles.iter().all(|g| scope.may_grant(g.role, &g.path)) {
                out.push(user_from_row(&r, roles)?);
            }
        }
        Ok(out)
    }

    /// A user the scope may manage: every role it holds lies inside the scope's
    /// user-management subtrees and is no stronger than the scope's own (else 404).
    pub async fn managed_user(&self, scope: &Scope, id: i64) -> Result<UserInfo> {
        let info = self.user_info(id).await?;
        if !scope.is_system()
            && (info.roles.is_empty()
                || !info.roles.iter().all(|g| scope.may_grant(g.role, &g.path)))
        {
            return Err(StoreError::NotFound);
        }
        Ok(info)
    }

    /// The id of a login name (the CLI names users by login).
    pub async fn user_id_by_name(&self, username: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
                .bind(username.trim())
                .fetch_optional(self.db.pool())
                .await?,
        )
    }

    /// Disables or enables an account, replaces its roles or renames it (audited; stale
    /// `version` → 409). Disabling needs a reason and ends every session of the account at
    /// once. An administrator cannot disable itself or change its own roles.
    pub async fn update_user(&self, scope: &Scope, id: i64, p: &UserPatch) -> Result<UserInfo> {
        let before = self.managed_user(scope, id).await?;
        if scope.user_id == Some(id) && (p.disabled == Some(true) || p.roles.is_some()) {
            return Err(self_manage());
        }
        let disabled = p.disabled.unwrap_or(before.disabled);
        let reason = match p.disabled {
            Some(true) => {
                let r = p.reason.as_deref().map(str::trim).unwrap_or("");
                if r.is_empty() || r.chars().count() > 200 {
                    return Err(StoreError::invalid(
                        "auth.reason_required",
                        "停用账号须填写原因（不超过 200 字）",
                    ));
                }
                Some(r.to_string())
            }
            Some(false) => None,
            None => before.disabled_reason.clone(),
        };
        let display = match &p.display_name {
            Some(d) if d.trim().is_empty() => {
                return Err(StoreError::invalid(
                    "auth.display_name_required",
                    "显示名称不能为空",
                ))
            }
            Some(d) => d.trim().to_string(),
            None => before.display_name.clone(),
        };
        let roles = match &p.roles {
            None => None,
            Some(list) if list.is_empty() => {
                return Err(StoreError::invalid(
                    "auth.roles_required",
                    "账号至少须有一个角色",
                ))
            }
            Some(list) => {
                let mut out: Vec<Grant> = Vec::new();
                for g in list {
                    let grant = self.resolve_grant(scope, &g.role, g.org_id).await?;
                    if !out
                        .iter()
                        .any(|o| o.role == grant.role && o.org_id == grant.org_id)
                    {
                        out.push(grant);
                    }
                }
                let member_paths: Vec<&str> = out
                    .iter()
                    .filter(|g| g.role == Role::Member)
                    .map(|g| g.path.as_str())
                    .collect();
                if !member_paths.is_empty() && before.member_id.is_none() {
                    return Err(StoreError::invalid(
                        "auth.member_required",
                        "党员本人账号须关联党员记录",
                    ));
                }
                // The linked member stays inside the user's orgs (those of its member roles,
                // or of any role), as at creation.
                if let Some(mid) = before.member_id {
                    let paths: Vec<&str> = if member_paths.is_empty() {
                        out.iter().map(|g| g.path.as_str()).collect()
                    } else {
                        member_paths
                    };
                    self.check_member_link(scope, mid, &paths).await?;
                }
                Some(out)
            }
        };
        let mut tx = self.db.begin().await?;
        let n = sqlx::query(
            "UPDATE users SET display_name = $1, disabled = $2, disabled_reason = $3, version = version + 1 WHERE id = $4 AND version = $5",
        )
        .bind(&display)
        .bind(i64::from(disabled))
        .bind(reason.clone())
        .bind(id)
        .bind(p.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            let current: i64 = sqlx::query_scalar("SELECT version FROM users WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            return Err(StoreError::Conflict { current });
        }
        if let Some(list) = &roles {
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for g in list {
                sqlx::query("INSERT INTO user_roles (user_id, role, org_id) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(g.role.to_string())
                    .bind(g.org_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if disabled && !before.disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let after = UserInfo {
            display_name: display,
            disabled,
            disabled_reason: reason,
            roles: roles.unwrap_or_else(|| before.roles.clone()),
            version: p.version + 1,
            ..before.clone()
        };
        let action = match (before.disabled, disabled) {
            (false, true) => "user.disable",
            (true, false) => "user.enable",
            _ if p.roles.is_some() => "user.set_roles",
            _ => "user.update",
        };
        audit::record(
            &mut tx,
            scope,
            Entry {
                action,
                entity: "user",
                entity_id: Some(id.to_string()),
                scope_path: after
                    .roles
                    .first()
                    .or(before.roles.first())
                    .map(|g| g.path.clone()),
                before: Some(serde_json::to_value(&before)?),
                after: Some(serde_json::to_value(&after)?),
            },
        )
        .await?;
        tx.commit().await?;
        self.user_info(id).await
    }

    /// Gives an account a new random temporary password (returned once, never stored in
    /// clear or audited): it must be changed at the next login, the lock and failure count
    /// are cleared, and every session of the account ends.
    pub async fn reset_password(&self, scope: &Scope, id: i64) -> Result<(UserInfo, String)> {
        let before = self.managed_user(scope, id).await?;
        if scope.user_id == Some(id) {
            return Err(self_manage());
        }
        let password = temporary_password();
        let hash = hash_password(&password)?;
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 1, failed_logins = 0, locked_until = NULL, version = version + 1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "user.reset_password",
                entity: "user",
                entity_id: Some(id.to_string()),
                scope_path: before.roles.first().map(|g| g.path.clone()),
                before: None,
                after: Some(
                    serde_json::json!({"must_change_password": true, "sessions_ended": true}),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((self.user_info(id).await?, password))
    }

    /// Lifts a lockout and clears the failure count (audited).
    pub async fn unlock_user(&self, scope: &Scope, id: i64) -> Result<UserInfo> {
        let before = self.managed_user(scope, id).await?;
        let mut tx = self.db.begin().await?;
        let failed: i64 = sqlx::query_scalar("SELECT failed_logins FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL, version = version + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            scope,
            Entry {
                action: "user.unlock",
                entity: "user",
                entity_id: Some(id.to_string()),
                scope_path: before.roles.first().map(|g| g.path.clone()),
                before: Some(serde_json::json!({"failed_logins": failed, "locked_until": before.locked_until})),
                after: Some(serde_json::json!({"failed_logins": 0, "locked_until": null})),
            },
        )
        .await?;
        tx.commit().await?;
        self.user_info(id).await
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

    fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    }

    #[test]
    fn idle_timeout_at_the_boundary() {
        let seen = "2026-01-01T08:00:00.000Z";
        let expires = "2026-01-01T20:00:00.000Z";
        // One millisecond short of 30 idle minutes: alive; at 30 minutes: over.
        assert!(!session_over(
            at("2026-01-01T08:29:59.999Z"),
            seen,
            expires,
            30
        ));
        assert!(session_over(
            at("2026-01-01T08:30:00.000Z"),
            seen,
            expires,
            30
        ));
        // Lifetime: over when reached.
        assert!(!session_over(
            at("2026-01-01T19:59:59.999Z"),
            "2026-01-01T19:50:00.000Z",
            expires,
            30
        ));
        assert!(session_over(
            at("2026-01-01T20:00:00.000Z"),
            "2026-01-01T19:50:00.000Z",
            expires,
            30
        ));
        assert!(session_over(
            at("2026-01-01T08:00:00.000Z"),
            "garbage",
            expires,
            30
        ));
    }

    #[test]
    fn every_request_is_recorded_as_activity() {
        // The old touch skipped requests less than a minute after the stored last activity,
        // so the idle timeout later counted from up to a minute before the real last request.
        let seen = "2026-01-01T08:00:00.000Z";
        assert!(session_needs_touch(at("2026-01-01T08:00:00.001Z"), seen));
        assert!(session_needs_touch(at("2026-01-01T08:00:59.000Z"), seen));
        assert!(!session_needs_touch(at("2026-01-01T08:00:00.000Z"), seen));
        // Touched at 08:00:59, a request at 08:30:30 is 29.5 idle minutes later: alive.
        let touched = "2026-01-01T08:00:59.000Z";
        assert!(!session_over(
            at("2026-01-01T08:30:30.000Z"),
            touched,
            "2026-01-02T00:00:00.000Z",
            30
        ));
    }

    #[test]
    fn temporary_passwords_meet_the_policy() {
        let a = temporary_password();
        let b = temporary_password();
        assert_ne!(a, b);
        for _ in 0..200 {
            let p = temporary_password();
            assert_eq!(p.chars().count(), 16);
            assert!(check_password_strength(&p).is_ok(), "{p}");
        }
    }

    #[test]
    fn no_one_grants_more_than_they_hold() {
        let town = Scope::user(1, "a", vec![grant(Role::Admin, "/1/5/")], None);
        assert!(town.may_grant(Role::Admin, "/1/5/"));
        assert!(town.may_grant(Role::Branch, "/1/5/9/"));
        assert!(!town.may_grant(Role::Branch, "/1/50/"));
        assert!(!town.may_grant(Role::OrgDept, "/1/"));
        let dept = Scope::user(2, "d", vec![grant(Role::OrgDept, "/1/")], None);
        assert!(
            !dept.may_grant(Role::Branch, "/1/5/"),
            "no user-management right"
        );
        assert!(Scope::system("cli").may_grant(Role::Admin, "/1/"));
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

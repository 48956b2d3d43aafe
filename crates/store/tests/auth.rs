//! Accounts and their security (issue 11, S1–S4) on SQLite and PostgreSQL (`store_test!`):
//! linking a user to a member only inside the administrator's scope, wrong old passwords
//! counted and locked like failed logins, disabling / re-roling / resetting / unlocking
//! accounts (scoped, audited, optimistic version), and the session's last activity.
//!
//! `scripts/with-postgres.sh cargo test -p jiceng-store --test auth` runs both halves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use common::*;
use jiceng_store::auth::{GrantInput, LoginError, LoginPolicy, NewUser, UserPatch};
use jiceng_store::org::OrgView;
use jiceng_store::{Role, Scope, Store, StoreError};

const PW: &str = "Jiceng@2024";

fn new_user(name: &str, role: &str, org_id: i64, member_id: Option<i64>) -> NewUser {
    NewUser {
        username: name.to_string(),
        display_name: format!("{name} 同志"),
        password: PW.to_string(),
        role: role.to_string(),
        org_id,
        member_id,
        temporary: false,
    }
}

struct World {
    root: OrgView,
    town_a: OrgView,
    town_b: OrgView,
    branch_a: OrgView,
    branch_a2: OrgView,
    member_a: i64,
    member_a2: i64,
    member_b: i64,
}

/// A county with two townships; township A has two branches, each with a member.
async fn world(store: &Store) -> World {
    let root = org(store, None, "某县委", "committee", "organ").await;
    let town_a = org(store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let town_b = org(store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let branch_a = org(store, Some(town_a.id), "甲村党支部", "branch", "rural").await;
    let branch_a2 = org(store, Some(town_a.id), "丙村党支部", "branch", "rural").await;
    let branch_b = org(store, Some(town_b.id), "乙村党支部", "branch", "rural").await;
    let m = |o: i64, n: &'static str| async move {
        member(
            store,
            o,
            n,
            "1",
            "1970-05-06",
            "1995-07-01",
            Some("1996-07-01"),
        )
        .await
        .id
    };
    World {
        member_a: m(branch_a.id, "张三").await,
        member_a2: m(branch_a2.id, "王五").await,
        member_b: m(branch_b.id, "李四").await,
        root,
        town_a,
        town_b,
        branch_a,
        branch_a2,
    }
}

/// Logs a user in and returns the session token and its scope.
async fn session(store: &Store, name: &str, pw: &str) -> (String, Scope) {
    let policy = LoginPolicy::default();
    let (t, _) = store.login(name, pw, None, &policy).await.unwrap();
    let (scope, _) = store.session(&t, &policy).await.unwrap().unwrap();
    (t, scope)
}

async fn actions(store: &Store) -> Vec<(String, String)> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT action, after_json FROM audit_log ORDER BY seq")
            .fetch_all(store.db.pool())
            .await
            .unwrap();
    rows.into_iter()
        .map(|(a, j)| (a, j.unwrap_or_default()))
        .collect()
}

// S1 and S4(a): the member a user is linked to must lie in the creator's scope and in the
// user's org; an unknown member is a clean 404, not a database error.
store_test!(member_link_stays_in_scope, |store| async move {
    let w = world(&store).await;
    let town_admin = user(9_999, Role::Admin, &w.town_a, None);
    // A member of another township: absent as far as the township is concerned.
    assert!(matches!(
        store
            .create_user(
                &town_admin,
                &new_user("x1", "member", w.town_a.id, Some(w.member_b))
            )
            .await,
        Err(StoreError::NotFound)
    ));
    // Also through a staff role that merely carries a member link.
    assert!(matches!(
        store
            .create_user(
                &town_admin,
                &new_user("x2", "branch", w.branch_a.id, Some(w.member_b))
            )
            .await,
        Err(StoreError::NotFound)
    ));
    // Unknown member: 404 (was a foreign-key failure → 500), for the system too.
    assert!(matches!(
        store
            .create_user(
                &sys(),
                &new_user("x3", "member", w.branch_a.id, Some(999_999))
            )
            .await,
        Err(StoreError::NotFound)
    ));
    // In scope but outside the org the role is held on.
    assert_eq!(
        invalid_code(
            store
                .create_user(
                    &town_admin,
                    &new_user("x4", "member", w.branch_a.id, Some(w.member_a2))
                )
                .await
        ),
        "auth.member_outside_org"
    );
    // The right member: created, and the administrator's password is temporary.
    let u = store
        .create_user(
            &town_admin,
            &new_user("x5", "member", w.branch_a.id, Some(w.member_a)),
        )
        .await
        .unwrap();
    assert!(
        u.must_change_password,
        "an administrator's password is temporary"
    );
    assert_eq!(u.member_id, Some(w.member_a));
    // The operator (system scope) may still set a permanent one.
    let op = store
        .create_user(&sys(), &new_user("x6", "branch", w.branch_a.id, None))
        .await
        .unwrap();
    assert!(!op.must_change_password);
    // Nothing was written for the refusals.
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(store.db.pool())
        .await
        .unwrap();
    assert_eq!(users, 2);
});

// S2: a wrong old password counts like a failed login (same counter), is audited without
// the password, and at the threshold locks the account and ends all its sessions.
store_test!(wrong_old_password_counts_and_locks, |store| async move {
    let w = world(&store).await;
    let policy = LoginPolicy::default();
    store
        .create_user(&sys(), &new_user("alice", "committee", w.town_a.id, None))
        .await
        .unwrap();
    let (t1, scope) = session(&store, "alice", PW).await;
    let (t2, _) = session(&store, "alice", PW).await;
    // One failure at the login form …
    assert!(matches!(
        store.login("alice", "Wrong@pass1", None, &policy).await,
        Err(LoginError::BadCredentials)
    ));
    // … and three from the session: four so far, still the wrong-password answer.
    for _ in 0..3 {
        let r = store
            .change_password(&scope, "Wrong@pass1", "Jiceng#2025", Some(&t1), &policy)
            .await;
        assert!(
            matches!(
                &r,
                Err(LoginError::Store(StoreError::Invalid {
                    code: "auth.wrong_password",
                    ..
                }))
            ),
            "{r:?}"
        );
    }
    assert!(store.session(&t2, &policy).await.unwrap().is_some());
    // The fifth locks.
    let r = store
        .change_password(&scope, "Wrong@pass1", "Jiceng#2025", Some(&t1), &policy)
        .await;
    assert!(matches!(r, Err(LoginError::Locked { .. })), "{r:?}");
    // Every session ended, including the caller's own.
    assert!(store.session(&t1, &policy).await.unwrap().is_none());
    assert!(store.session(&t2, &policy).await.unwrap().is_none());
    // Even the right password is refused while locked, at login and from the old scope.
    assert!(matches!(
        store.login("alice", PW, None, &policy).await,
        Err(LoginError::Locked { .. })
    ));
    assert!(matches!(
        store
            .change_password(&scope, PW, "Jiceng#2025", None, &policy)
            .await,
        Err(LoginError::Locked { .. })
    ));
    let log = actions(&store).await;
    let failed = log
        .iter()
        .filter(|(a, _)| a == "auth.password_failed")
        .count();
    assert_eq!(failed, 3);
    assert!(log
        .iter()
        .any(|(a, j)| a == "auth.locked" && j.contains("auth.password_failed")));
    assert!(
        log.iter()
            .all(|(_, j)| !j.contains("Wrong@pass1") && !j.contains(PW)),
        "no password in the audit log"
    );
    assert_eq!(
        jiceng_store::audit::verify(&store.db)
            .await
            .unwrap()
            .first_bad,
        None
    );
});

// S3: disable with a reason (sessions end at once, login refused), enable, stale version.
store_test!(disable_enable_and_versions, |store| async move {
    let w = world(&store).await;
    let policy = LoginPolicy::default();
    store
        .create_user(&sys(), &new_user("root_admin", "admin", w.root.id, None))
        .await
        .unwrap();
    let bob = store
        .create_user(&sys(), &new_user("bob", "branch", w.branch_a.id, None))
        .await
        .unwrap();
    let (_, admin) = session(&store, "root_admin", PW).await;
    let (bt, _) = session(&store, "bob", PW).await;
    // A reason is required.
    assert_eq!(
        invalid_code(
            store
                .update_user(
                    &admin,
                    bob.id,
                    &UserPatch {
                        version: bob.version,
                        disabled: Some(true),
                        reason: Some("  ".into()),
                        ..Default::default()
                    }
                )
                .await
        ),
        "auth.reason_required"
    );
    let off = store
        .update_user(
            &admin,
            bob.id,
            &UserPatch {
                version: bob.version,
                disabled: Some(true),
                reason: Some("调离本单位".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(off.disabled);
    assert_eq!(off.disabled_reason.as_deref(), Some("调离本单位"));
    assert_eq!(off.version, bob.version + 1);
    assert!(
        store.session(&bt, &policy).await.unwrap().is_none(),
        "disabling ends the sessions at once"
    );
    assert!(matches!(
        store.login("bob", PW, None, &policy).await,
        Err(LoginError::Disabled)
    ));
    // The list shows it.
    let listed = store.list_users(&admin).await.unwrap();
    let b = listed.iter().find(|u| u.id == bob.id).unwrap();
    assert!(b.disabled && b.disabled_reason.is_some());
    // A stale version is refused with the current one.
    assert!(matches!(
        store
            .update_user(
                &admin,
                bob.id,
                &UserPatch {
                    version: bob.version,
                    disabled: Some(false),
                    ..Default::default()
                }
            )
            .await,
        Err(StoreError::Conflict { current }) if current == off.version
    ));
    let on = store
        .update_user(
            &admin,
            bob.id,
            &UserPatch {
                version: off.version,
                disabled: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(!on.disabled && on.disabled_reason.is_none());
    store.login("bob", PW, None, &policy).await.unwrap();
    // An administrator cannot disable itself.
    let me = admin.user_id.unwrap();
    let mine = store.managed_user(&admin, me).await.unwrap();
    assert_eq!(
        invalid_code(
            store
                .update_user(
                    &admin,
                    me,
                    &UserPatch {
                        version: mine.version,
                        disabled: Some(true),
                        reason: Some("x".into()),
                        ..Default::default()
                    }
                )
                .await
        ),
        "auth.self_manage"
    );
    let log = actions(&store).await;
    for a in ["user.disable", "user.enable"] {
        assert!(log.iter().any(|(x, _)| x == a), "no {a}");
    }
});

// S3: roles replaced within the administrator's own scope; others' users are absent.
store_test!(roles_replace_within_scope, |store| async move {
    let w = world(&store).await;
    let town_admin = user(9_999, Role::Admin, &w.town_a, None);
    let carol = store
        .create_user(&sys(), &new_user("carol", "branch", w.branch_a.id, None))
        .await
        .unwrap();
    let dave = store
        .create_user(&sys(), &new_user("dave", "committee", w.town_b.id, None))
        .await
        .unwrap();
    let county = store
        .create_user(&sys(), &new_user("county", "org_dept", w.root.id, None))
        .await
        .unwrap();
    let patch = |version: i64, roles: Vec<(&str, i64)>| UserPatch {
        version,
        roles: Some(
            roles
                .into_iter()
                .map(|(r, o)| GrantInput {
                    role: r.into(),
                    org_id: o,
                })
                .collect(),
        ),
        ..Default::default()
    };
    // Users of another township, or above the township: 404 for every operation.
    for id in [dave.id, county.id] {
        assert!(matches!(
            store
                .update_user(&town_admin, id, &patch(1, vec![("branch", w.branch_a.id)]))
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.reset_password(&town_admin, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.unlock_user(&town_admin, id).await,
            Err(StoreError::NotFound)
        ));
    }
    let listed: Vec<String> = store
        .list_users(&town_admin)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(listed, vec!["carol".to_string()]);
    // Granting outside its own subtree: 404 (the org is absent to it).
    assert!(matches!(
        store
            .update_user(
                &town_admin,
                carol.id,
                &patch(carol.version, vec![("branch", w.town_b.id)])
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        invalid_code(
            store
                .update_user(&town_admin, carol.id, &patch(carol.version, vec![]))
                .await
        ),
        "auth.roles_required"
    );
    // A member role needs a linked member.
    assert_eq!(
        invalid_code(
            store
                .update_user(
                    &town_admin,
                    carol.id,
                    &patch(carol.version, vec![("member", w.branch_a.id)])
                )
                .await
        ),
        "auth.member_required"
    );
    let two = store
        .update_user(
            &town_admin,
            carol.id,
            &patch(
                carol.version,
                vec![("committee", w.town_a.id), ("branch", w.branch_a2.id)],
            ),
        )
        .await
        .unwrap();
    let got: Vec<(Role, i64)> = two.roles.iter().map(|g| (g.role, g.org_id)).collect();
    assert_eq!(
        got,
        vec![
            (Role::Committee, w.town_a.id),
            (Role::Branch, w.branch_a2.id)
        ]
    );
    assert!(actions(&store)
        .await
        .iter()
        .any(|(a, _)| a == "user.set_roles"));
    // A linked member stays inside the user's orgs when the roles change.
    let gina = store
        .create_user(
            &sys(),
            &new_user("gina", "member", w.branch_a.id, Some(w.member_a)),
        )
        .await
        .unwrap();
    assert_eq!(
        invalid_code(
            store
                .update_user(
                    &town_admin,
                    gina.id,
                    &patch(gina.version, vec![("member", w.branch_a2.id)])
                )
                .await
        ),
        "auth.member_outside_org"
    );
    assert_eq!(
        invalid_code(
            store
                .update_user(
                    &town_admin,
                    gina.id,
                    &patch(gina.version, vec![("branch", w.branch_a2.id)])
                )
                .await
        ),
        "auth.member_outside_org"
    );
    store
        .update_user(
            &town_admin,
            gina.id,
            &patch(
                gina.version,
                vec![("member", w.branch_a.id), ("committee", w.town_a.id)],
            ),
        )
        .await
        .unwrap();
    // A scope with no user-management right manages no one.
    let committee = user(9_999, Role::Committee, &w.town_a, None);
    assert!(matches!(
        store.unlock_user(&committee, carol.id).await,
        Err(StoreError::NotFound)
    ));
    // The system (CLI) manages everyone.
    store.unlock_user(&sys(), dave.id).await.unwrap();
});

// S3: a reset gives a temporary password (must change at next login), ends the sessions and
// lifts a lock; unlock alone lifts a lock.
store_test!(reset_and_unlock, |store| async move {
    let w = world(&store).await;
    let policy = LoginPolicy::default();
    let admin = user(9_999, Role::Admin, &w.root, None);
    let erin = store
        .create_user(&sys(), &new_user("erin", "branch", w.branch_a.id, None))
        .await
        .unwrap();
    let (et, _) = session(&store, "erin", PW).await;
    for _ in 0..5 {
        let _ = store.login("erin", "Wrong@pass1", None, &policy).await;
    }
    let listed = store.list_users(&admin).await.unwrap();
    assert!(listed
        .iter()
        .find(|u| u.id == erin.id)
        .unwrap()
        .locked_until
        .is_some());
    assert!(
        store.session(&et, &policy).await.unwrap().is_none(),
        "locking ends sessions"
    );
    let u = store.unlock_user(&admin, erin.id).await.unwrap();
    assert!(u.locked_until.is_none());
    let (et, _) = session(&store, "erin", PW).await;
    let (after, temp) = store.reset_password(&admin, erin.id).await.unwrap();
    assert!(after.must_change_password);
    assert!(jiceng_store::auth::check_password_strength(&temp).is_ok());
    assert!(
        store.session(&et, &policy).await.unwrap().is_none(),
        "reset ends sessions"
    );
    assert!(matches!(
        store.login("erin", PW, None, &policy).await,
        Err(LoginError::BadCredentials)
    ));
    let (_, info) = store.login("erin", &temp, None, &policy).await.unwrap();
    assert!(info.must_change_password);
    let log = actions(&store).await;
    assert!(log.iter().any(|(a, _)| a == "user.reset_password"));
    assert!(log.iter().any(|(a, _)| a == "user.unlock"));
    assert!(
        log.iter().all(|(_, j)| !j.contains(&temp)),
        "no password in the audit log"
    );
});

// S4(d): every request records the session's last activity, so the idle timeout counts
// from the last request (the old once-a-minute touch ended sessions up to a minute early).
store_test!(
    session_activity_is_recorded_every_request,
    |store| async move {
        let w = world(&store).await;
        let policy = LoginPolicy::default();
        store
            .create_user(&sys(), &new_user("frank", "branch", w.branch_a.id, None))
            .await
            .unwrap();
        let (t, _) = session(&store, "frank", PW).await;
        let earlier = (chrono::Utc::now() - chrono::Duration::seconds(30))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        sqlx::query("UPDATE sessions SET last_seen = $1")
            .bind(&earlier)
            .execute(store.db.pool())
            .await
            .unwrap();
        let before = jiceng_store::now_ts();
        assert!(store.session(&t, &policy).await.unwrap().is_some());
        let seen: String = sqlx::query_scalar("SELECT last_seen FROM sessions")
            .fetch_one(store.db.pool())
            .await
            .unwrap();
        assert!(
            seen >= before,
            "last activity {seen} not recorded (request at {before})"
        );
    }
);

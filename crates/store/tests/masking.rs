//! ID numbers: masked on every read for every user (one format, `110***********123X`), the
//! roster included; a full number is revealed one member at a time by a role that may see it
//! (`Scope::may_reveal_id`), audited with the optional reason; exports stay masked unless the
//! export asks to reveal and the role may. On SQLite and PostgreSQL.
//!
//! `scripts/with-postgres.sh cargo test -p jiceng-store --test masking` runs both halves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

use common::*;
use jiceng_domain::member::mask_id;
use jiceng_store::member::MemberFilter;
use jiceng_store::{Role, StoreError};

store_test!(reveal_member_id, |store| async move {
    let root = org(&store, None, "某县委", "committee", "organ").await;
    let town = org(&store, Some(root.id), "甲镇党委", "committee", "rural").await;
    let b = org(&store, Some(town.id), "甲村党支部", "branch", "rural").await;
    let other = org(&store, Some(root.id), "乙镇党委", "committee", "rural").await;
    let birth = "1980-05-17";
    let idn = id_for(birth, "1", 123);
    let mut n = new_member(b.id, "张三", "1", birth, "2005-07-01");
    n.id_number = Some(idn.clone());
    let m = store.create_member(&sys(), &n).await.unwrap();
    let bare = store
        .create_member(&sys(), &new_member(b.id, "李四", "1", birth, "2005-07-01"))
        .await
        .unwrap();

    let dept = user(4, Role::OrgDept, &town, None);
    // Masked on the member page and in the roster for the organization department.
    let v = store.get_member(&dept, m.id).await.unwrap();
    assert!(v.id_masked);
    assert_eq!(v.id_number.as_deref(), Some(mask_id(&idn).as_str()));
    let listed = store
        .list_members(&dept, &MemberFilter::default())
        .await
        .unwrap();
    let row = listed.items.iter().find(|x| x.id == m.id).unwrap();
    assert_eq!(row.id_number.as_deref(), Some(mask_id(&idn).as_str()));

    // Revealing answers the full number and writes one audit row with the reason.
    let before = audit_rows(&store).await;
    let full = store
        .reveal_member_id(&dept, m.id, Some("  核对身份 "))
        .await
        .unwrap();
    assert_eq!(full.as_deref(), Some(idn.as_str()));
    assert_eq!(audit_rows(&store).await, before + 1);
    let (action, entity_id, after): (String, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT action, entity_id, after_json FROM audit_log ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(store.db.pool())
    .await
    .unwrap();
    assert_eq!(action, "member.reveal_id");
    assert_eq!(entity_id, Some(m.id.to_string()));
    let after = after.unwrap();
    assert!(after.contains("核对身份"), "{after}");
    assert!(
        !after.contains(&idn),
        "never the full number in the audit log"
    );
    // No reason is fine; a member without a number answers none (still audited).
    assert_eq!(
        store
            .reveal_member_id(&user(3, Role::Admin, &root, None), m.id, None)
            .await
            .unwrap()
            .as_deref(),
        Some(idn.as_str())
    );
    assert_eq!(
        store.reveal_member_id(&dept, bare.id, None).await.unwrap(),
        None
    );
    assert_eq!(audit_rows(&store).await, before + 3);

    // Roles that may read the member but not see full numbers: 403, nothing audited.
    for scope in [
        user(1, Role::Committee, &town, None),
        user(2, Role::Branch, &b, None),
    ] {
        assert!(matches!(
            store.reveal_member_id(&scope, m.id, None).await,
            Err(StoreError::Forbidden)
        ));
    }
    // Out of scope: 404.
    assert!(matches!(
        store
            .reveal_member_id(&user(5, Role::OrgDept, &other, None), m.id, None)
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        invalid_code(
            store
                .reveal_member_id(&dept, m.id, Some(&"长".repeat(201)))
                .await
        ),
        "member.reveal_reason_length"
    );
    assert_eq!(audit_rows(&store).await, before + 3);

    // Exports: masked unless asked to reveal (and allowed).
    let f = MemberFilter::default();
    let masked = store.export_members(&dept, &f, false, 100).await.unwrap();
    let e = masked.iter().find(|x| x.id == m.id).unwrap();
    assert_eq!(e.id_number.as_deref(), Some(mask_id(&idn).as_str()));
    let shown = store.export_members(&dept, &f, true, 100).await.unwrap();
    let e = shown.iter().find(|x| x.id == m.id).unwrap();
    assert_eq!(e.id_number.as_deref(), Some(idn.as_str()));
    let town_scope = user(1, Role::Committee, &town, None);
    let refused = store
        .export_members(&town_scope, &f, true, 100)
        .await
        .unwrap();
    let e = refused.iter().find(|x| x.id == m.id).unwrap();
    assert_eq!(e.id_number.as_deref(), Some(mask_id(&idn).as_str()));
});

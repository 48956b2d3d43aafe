//! `jiceng`: the server and the operator's command-line tool.

mod config;
mod demo;
mod progress;
mod report_cmd;
mod web;

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jiceng_store::auth::NewUser;
use jiceng_store::{Scope, Store};

#[derive(Parser)]
#[command(name = "jiceng", version, about = "Jiceng 基层党建综合管理平台")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Args, Clone)]
struct DbArgs {
    /// Database URL: sqlite://FILE (default) or postgres://USER:PASS@HOST/DB.
    #[arg(long, env = "JICENG_DB", default_value = "sqlite://jiceng.db")]
    db: String,
    /// Key file for ID-number encryption (created on first start when missing).
    /// Default: beside the SQLite file (`FILE.key`), or `./jiceng.key` for PostgreSQL.
    #[arg(long, env = "JICENG_KEY_FILE")]
    key_file: Option<std::path::PathBuf>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve the web UI and the API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address to listen on.
        #[arg(long, env = "JICENG_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Session idle timeout in minutes.
        #[arg(long, env = "JICENG_IDLE_MINUTES", default_value_t = 30)]
        idle_minutes: i64,
        /// Mark the session cookie Secure (set when served behind HTTPS).
        #[arg(long, env = "JICENG_COOKIE_SECURE", default_value_t = false)]
        cookie_secure: bool,
        /// A reverse proxy sits in front: take client addresses from X-Forwarded-For.
        #[arg(long, env = "JICENG_TRUST_PROXY", default_value_t = false)]
        trust_proxy: bool,
        /// Do not load the in-memory statistics engine: reports are computed with SQL
        /// (needed when another process also writes to the database).
        #[arg(long, env = "JICENG_NO_ENGINE", default_value_t = false)]
        no_engine: bool,
    },
    /// Start a new deployment: create the top org of the tree and its first admin
    /// (the password is read from standard input).
    Init {
        #[command(flatten)]
        db: DbArgs,
        /// Full name of the top org, e.g. 中共××县委员会.
        #[arg(long)]
        org_name: String,
        /// Kind of the top org.
        #[arg(long, default_value = "committee")]
        kind: String,
        /// Field of the top org.
        #[arg(long, default_value = "organ")]
        field: String,
        /// Founding date (YYYY-MM-DD).
        #[arg(long)]
        founded: String,
        /// GB/T 2260 division code.
        #[arg(long)]
        region_code: Option<String>,
        /// Login name of the first admin.
        #[arg(long, default_value = "admin")]
        admin: String,
        /// Read the admin password from standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Create or upgrade the schema.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// User administration.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Create a demo database.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        /// Profile: `seed-county` (the county of seed 000 at 2004-12-31), `seed-city` (the
        /// 1 383 villages of seed 002 with their 2011 and 2012 rating rounds), or a generated
        /// tree with the 2024 bulletin's distributions: `national`, `province`,
        /// `county-synthetic` (sized by `--scale`).
        #[arg(long, default_value = "seed-county")]
        profile: String,
        /// Generated profiles: members on the roster at 2024-12-31.
        #[arg(long, default_value_t = 1_000_000)]
        scale: u64,
        /// Generated profiles: random seed (the same seed gives the same data).
        #[arg(long, default_value_t = 20_241_231)]
        seed: u64,
        /// Generated profiles: also write the benchmark's CSV files into this directory.
        #[arg(long)]
        csv: Option<std::path::PathBuf>,
        /// Generated profiles: write only the CSV files, no database.
        #[arg(long, requires = "csv")]
        csv_only: bool,
    },
    /// Times the statistics engine on `demo --csv` output (used by bench/run.sh).
    #[command(hide = true)]
    BenchStats {
        /// Directory written by `demo --csv`.
        #[arg(long)]
        csv: std::path::PathBuf,
        /// Timed runs per query (after one warm-up).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Print the OpenAPI document (the web client's types are generated from it).
    Openapi,
    /// Reports.
    Report {
        #[command(subcommand)]
        cmd: ReportCmd,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Add a user; the password is read from standard input.
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// Login name.
        #[arg(long)]
        username: String,
        /// Role: admin, org_dept, committee, branch, member.
        #[arg(long)]
        role: String,
        /// Org id the role is held on (`root` for the top of the tree).
        #[arg(long)]
        org: String,
        /// Display name (default: the login name).
        #[arg(long)]
        display_name: Option<String>,
        /// Member record for role `member`.
        #[arg(long)]
        member: Option<i64>,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The password is temporary: the user must change it at first login.
        #[arg(long)]
        temporary: bool,
    },
    /// List users with their roles and state (disabled, locked, must change password).
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable an account (its sessions end at once; it can no longer log in).
    Disable {
        #[command(flatten)]
        db: DbArgs,
        /// Login name.
        #[arg(long)]
        username: String,
        /// Why (recorded with the account and in the audit log).
        #[arg(long)]
        reason: String,
    },
    /// Enable a disabled account.
    Enable {
        #[command(flatten)]
        db: DbArgs,
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// Give an account a random temporary password (printed once; it must be changed at the
    /// next login). Lifts a lockout and ends the account's sessions.
    ResetPassword {
        #[command(flatten)]
        db: DbArgs,
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// Lift a lockout after failed password attempts.
    Unlock {
        #[command(flatten)]
        db: DbArgs,
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// Replace all roles of an account.
    SetRoles {
        #[command(flatten)]
        db: DbArgs,
        /// Login name.
        #[arg(long)]
        username: String,
        /// A role on an org as ROLE:ORG (ORG an org id or `root`), e.g. `branch:12`;
        /// repeat for several.
        #[arg(long = "grant", required = true)]
        grants: Vec<String>,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Check the hash chain; exits non-zero naming the first bad row.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum ReportCmd {
    /// Summary of a subtree as of a date.
    Summary {
        #[command(flatten)]
        db: DbArgs,
        /// Org id, or `root`.
        #[arg(long, default_value = "root")]
        org: String,
        /// As-of date (YYYY-MM-DD); default: the deployment's today.
        #[arg(long)]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: report_cmd::Format,
        /// Write to this file instead of standard output (required for xlsx).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Compute with SQL instead of loading the in-memory statistics engine.
        #[arg(long, default_value_t = false)]
        no_engine: bool,
    },
    /// The tier distribution of a rating year (分类定级) in a subtree, from the stored ratings.
    Ratings {
        #[command(flatten)]
        db: DbArgs,
        /// Org id, or `root`.
        #[arg(long, default_value = "root")]
        org: String,
        /// Year.
        #[arg(long)]
        year: i32,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: report_cmd::Format,
        /// Write to this file instead of standard output (required for xlsx).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// The annual statistical report (党内统计年报) of a subtree: tables, the two-year
    /// reconciliation, checks and exception lists.
    Annual {
        #[command(flatten)]
        db: DbArgs,
        /// Org id, or `root`.
        #[arg(long, default_value = "root")]
        org: String,
        /// Report year (stocks on 31 December, flows within the year).
        #[arg(long)]
        year: i32,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: report_cmd::Format,
        /// CSV only: one table (e.g. T2).
        #[arg(long)]
        table: Option<String>,
        /// Write to this file instead of standard output (required for xlsx).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

/// Ctrl-C or SIGTERM (systemd's stop signal) ends the server gracefully.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn main() -> ExitCode {
    config::init_tracing();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("无法启动运行时: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn open(db: &DbArgs) -> Result<Store, String> {
    let crypto = config::key_for(&db.db, db.key_file.as_deref()).await?;
    Store::open(&db.db, crypto).await.map_err(|e| match e {
        jiceng_store::StoreError::Database(inner) => format!(
            "无法打开数据库 {}: {inner}",
            jiceng_store::db::redact_url(&db.db)
        ),
        other => other.to_string(),
    })
}

/// Reads a password from standard input (never from the command line, where `ps` shows it).
fn read_password() -> Result<String, String> {
    let mut pw = String::new();
    std::io::stdin()
        .read_to_string(&mut pw)
        .map_err(|e| format!("无法读取密码: {e}"))?;
    Ok(pw.trim_end_matches(['\n', '\r']).to_string())
}

/// Applies an account change as the operator, at the account's current version (the CLI
/// has no stale copy to protect).
async fn patch_user(
    store: &Store,
    sys: &Scope,
    id: i64,
    patch: jiceng_store::auth::UserPatch,
) -> Result<jiceng_store::auth::UserInfo, String> {
    let current = store
        .managed_user(sys, id)
        .await
        .map_err(|e| e.to_string())?;
    let patch = jiceng_store::auth::UserPatch {
        version: current.version,
        ..patch
    };
    store
        .update_user(sys, id, &patch)
        .await
        .map_err(|e| e.to_string())
}

async fn resolve_user(store: &Store, username: &str) -> Result<i64, String> {
    store
        .user_id_by_name(username)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("用户不存在: {username}"))
}

/// One line per user: id, login, display name, roles, state.
fn user_line(u: &jiceng_store::auth::UserInfo) -> String {
    let roles: Vec<String> = u
        .roles
        .iter()
        .map(|g| format!("{}:{}({})", g.role, g.org_id, g.org_name))
        .collect();
    let mut state = Vec::new();
    if u.disabled {
        state.push(format!(
            "已停用（{}）",
            u.disabled_reason.as_deref().unwrap_or("")
        ));
    }
    if let Some(until) = &u.locked_until {
        state.push(format!("已锁定至 {until}"));
    }
    if u.must_change_password {
        state.push("须修改密码".to_string());
    }
    if state.is_empty() {
        state.push("正常".to_string());
    }
    format!(
        "{}\t{}\t{}\t{}\t{}",
        u.id,
        u.username,
        u.display_name,
        roles.join(","),
        state.join("；")
    )
}

/// Runs one account command as the operator (system scope) and closes the store.
async fn user_admin(cmd: UserCmd) -> Result<ExitCode, String> {
    use jiceng_store::auth::{GrantInput, UserPatch};
    let sys = Scope::system("cli");
    match cmd {
        UserCmd::Add { .. } => Err("内部错误：user add 另行处理".into()),
        UserCmd::List { db } => {
            let store = open(&db).await?;
            for u in store.list_users(&sys).await.map_err(|e| e.to_string())? {
                println!("{}", user_line(&u));
            }
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        UserCmd::Disable {
            db,
            username,
            reason,
        } => {
            let store = open(&db).await?;
            let id = resolve_user(&store, &username).await?;
            let u = patch_user(
                &store,
                &sys,
                id,
                UserPatch {
                    disabled: Some(true),
                    reason: Some(reason),
                    ..Default::default()
                },
            )
            .await?;
            println!("已停用用户 {}，其会话已全部结束", u.username);
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        UserCmd::Enable { db, username } => {
            let store = open(&db).await?;
            let id = resolve_user(&store, &username).await?;
            let u = patch_user(
                &store,
                &sys,
                id,
                UserPatch {
                    disabled: Some(false),
                    ..Default::default()
                },
            )
            .await?;
            println!("已启用用户 {}", u.username);
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        UserCmd::ResetPassword { db, username } => {
            let store = open(&db).await?;
            let id = resolve_user(&store, &username).await?;
            let (u, pw) = store
                .reset_password(&sys, id)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!(
                "已为用户 {} 生成临时密码（只显示这一次，首次登录须修改）：",
                u.username
            );
            println!("{pw}");
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        UserCmd::Unlock { db, username } => {
            let store = open(&db).await?;
            let id = resolve_user(&store, &username).await?;
            let u = store
                .unlock_user(&sys, id)
                .await
                .map_err(|e| e.to_string())?;
            println!("已解除用户 {} 的锁定", u.username);
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        UserCmd::SetRoles {
            db,
            username,
            grants,
        } => {
            let store = open(&db).await?;
            let id = resolve_user(&store, &username).await?;
            let mut roles = Vec::new();
            for g in &grants {
                let (role, org) = g
                    .split_once(':')
                    .ok_or_else(|| format!("--grant 应为 角色:组织，例如 branch:12: {g}"))?;
                roles.push(GrantInput {
                    role: role.to_string(),
                    org_id: resolve_org(&store, org).await?,
                });
            }
            let u = patch_user(
                &store,
                &sys,
                id,
                UserPatch {
                    roles: Some(roles),
                    ..Default::default()
                },
            )
            .await?;
            println!("{}", user_line(&u));
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn resolve_org(store: &Store, org: &str) -> Result<i64, String> {
    if org == "root" {
        return store
            .root_org_id()
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "数据库中还没有组织（可先运行 jiceng demo）".to_string());
    }
    org.parse::<i64>()
        .map_err(|_| format!("--org 应为组织编号或 root: {org}"))
}

/// Loads the statistics engine. A failure is reported and the store keeps computing
/// reports with SQL. `cli`: progress and result as lines on stderr (report commands);
/// otherwise as log events (the server: load time and bytes).
async fn enable_engine(store: &Store, cli: bool) {
    if !cli {
        tracing::info!("loading the statistics engine");
    }
    // The rows to expect, for the share done and the time left (without it: rows and rate).
    let total = store.engine_load_rows().await.ok();
    let mut bar = progress::LoadProgress::new(total, cli);
    let r = store
        .enable_engine_with_progress(|rows| bar.update(rows))
        .await;
    bar.finish();
    match r {
        Ok(i) if cli => eprintln!(
            "统计引擎已载入：{} 个组织，{} 段党员名册记录，{:.1} MB，用时 {:.0} ms",
            i.orgs,
            i.intervals,
            i.bytes as f64 / 1_048_576.0,
            i.elapsed.as_secs_f64() * 1000.0
        ),
        Ok(i) => tracing::info!(
            orgs = i.orgs,
            intervals = i.intervals,
            bytes = i.bytes,
            ms = i.elapsed.as_millis() as u64,
            "statistics engine loaded"
        ),
        Err(e) if cli => eprintln!("统计引擎未能载入，改用 SQL 计算：{e}"),
        Err(e) => tracing::error!(error = %e, "statistics engine not loaded; reports use SQL"),
    }
}

async fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.cmd {
        Cmd::Serve {
            db,
            bind,
            idle_minutes,
            cookie_secure,
            trust_proxy,
            no_engine,
        } => {
            let store = open(&db).await?;
            if no_engine {
                tracing::info!("statistics engine disabled (--no-engine): reports use SQL");
            } else {
                enable_engine(&store, false).await;
            }
            let mut state = jiceng_api::AppState::new(store);
            state.policy.idle_minutes = idle_minutes.max(1);
            state.cookie_secure = cookie_secure;
            state.trust_proxy = trust_proxy;
            let app = jiceng_api::router(state).fallback(web::serve);
            let listener = tokio::net::TcpListener::bind(&bind)
                .await
                .map_err(|e| format!("无法监听 {bind}: {e}"))?;
            println!("Jiceng 已启动: http://{bind}/  (API 文档 http://{bind}/api/docs)");
            if !web::ui_built() {
                println!("提示：网页界面未构建进本程序，请用 make run 构建。");
            }
            tracing::info!(%bind, db = %jiceng_store::db::redact_url(&db.db), "serving");
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Init {
            db,
            org_name,
            kind,
            field,
            founded,
            region_code,
            admin,
            password_stdin: _,
        } => {
            let pw = read_password()?;
            let store = open(&db).await?;
            if !store.is_empty().await.map_err(|e| e.to_string())? {
                return Err("数据库已初始化（已有组织或用户），不能重复初始化".into());
            }
            let sys = Scope::system("cli");
            let root = store
                .create_org(
                    &sys,
                    &jiceng_store::org::NewOrg {
                        parent_id: None,
                        name: org_name,
                        short_name: None,
                        kind,
                        field,
                        setup_mode: None,
                        founded,
                        region_code,
                        credit_code: None,
                        address: None,
                        phone: None,
                        term_start: None,
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            let u = store
                .create_user(
                    &sys,
                    &NewUser {
                        display_name: "系统管理员".into(),
                        username: admin,
                        password: pw,
                        role: "admin".into(),
                        org_id: root.id,
                        member_id: None,
                        temporary: false,
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "已创建顶级组织 {}（id {}）和管理员 {}",
                root.name, root.id, u.username
            );
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Openapi => {
            use utoipa::OpenApi;
            let doc = jiceng_api::openapi::ApiDoc::openapi()
                .to_pretty_json()
                .map_err(|e| e.to_string())?;
            println!("{doc}");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Migrate { db } => {
            let store = open(&db).await?;
            println!(
                "数据库已是最新版本 (schema {})",
                jiceng_store::migrate::MIGRATIONS.len()
            );
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::User {
            cmd:
                UserCmd::Add {
                    db,
                    username,
                    role,
                    org,
                    display_name,
                    member,
                    password_stdin: _,
                    temporary,
                },
        } => {
            let pw = read_password()?;
            let store = open(&db).await?;
            let org_id = resolve_org(&store, &org).await?;
            let u = store
                .create_user(
                    &Scope::system("cli"),
                    &NewUser {
                        display_name: display_name.unwrap_or_else(|| username.clone()),
                        username,
                        password: pw,
                        role,
                        org_id,
                        member_id: member,
                        temporary,
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            println!("已创建用户 {} (id {})", u.username, u.id);
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::User { cmd } => user_admin(cmd).await,
        Cmd::Demo {
            db,
            profile,
            scale,
            seed,
            csv,
            csv_only,
        } if demo::national::Profile::parse(&profile).is_some() => {
            let opts = demo::national::Options {
                profile: demo::national::Profile::parse(&profile)
                    .unwrap_or(demo::national::Profile::National),
                scale,
                seed,
                csv,
            };
            if csv_only {
                demo::national::run(None, &opts).await?;
                return Ok(ExitCode::SUCCESS);
            }
            let store = open(&db).await?;
            if !store.is_empty().await.map_err(|e| e.to_string())? {
                return Err("数据库不是空的，拒绝覆盖（请换一个新的数据库文件）".into());
            }
            demo::national::run(Some(&store), &opts).await?;
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::BenchStats { csv, runs } => {
            demo::bench_engine::run(&csv, runs)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Demo { db, profile, .. } => {
            if profile != "seed-county" && profile != "seed-city" {
                return Err(format!(
                    "未知的演示配置: {profile}（可用: seed-county, seed-city, national, province, county-synthetic）"
                ));
            }
            let store = open(&db).await?;
            if !store.is_empty().await.map_err(|e| e.to_string())? {
                return Err("数据库不是空的，拒绝覆盖（请换一个新的数据库文件）".into());
            }
            if profile == "seed-city" {
                demo::seed_city::build(&store)
                    .await
                    .map_err(|e| e.to_string())?;
            } else {
                demo::seed_county(&store).await.map_err(|e| e.to_string())?;
            }
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Audit {
            cmd: AuditCmd::Verify { db },
        } => {
            let store = open(&db).await?;
            let r = jiceng_store::audit::verify(&store.db)
                .await
                .map_err(|e| e.to_string())?;
            store.db.close().await;
            match r.first_bad {
                None => {
                    println!("审计日志完整: {} 条记录，哈希链校验通过", r.rows);
                    Ok(ExitCode::SUCCESS)
                }
                Some((seq, why)) => {
                    eprintln!("审计日志校验失败: 第一条异常记录 seq={seq}: {why}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        Cmd::Report {
            cmd:
                ReportCmd::Summary {
                    db,
                    org,
                    as_of,
                    format,
                    out,
                    no_engine,
                },
        } => {
            let store = open(&db).await?;
            let org_id = resolve_org(&store, &org).await?;
            let as_of = match as_of {
                Some(d) => jiceng_store::parse_date(&d, "统计截止").map_err(|e| e.to_string())?,
                None => store.reference_date().await.map_err(|e| e.to_string())?,
            };
            if !no_engine {
                enable_engine(&store, true).await;
            }
            let bytes = report_cmd::summary(&store, org_id, as_of, format).await?;
            report_cmd::emit(&bytes, out.as_ref(), format)?;
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Report {
            cmd:
                ReportCmd::Ratings {
                    db,
                    org,
                    year,
                    format,
                    out,
                },
        } => {
            let store = open(&db).await?;
            let org_id = resolve_org(&store, &org).await?;
            let bytes = report_cmd::ratings(&store, org_id, year, format).await?;
            report_cmd::emit(&bytes, out.as_ref(), format)?;
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Report {
            cmd:
                ReportCmd::Annual {
                    db,
                    org,
                    year,
                    format,
                    table,
                    out,
                },
        } => {
            let store = open(&db).await?;
            let org_id = resolve_org(&store, &org).await?;
            let bytes = report_cmd::annual(&store, org_id, year, format, table.as_deref()).await?;
            report_cmd::emit(&bytes, out.as_ref(), format)?;
            store.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

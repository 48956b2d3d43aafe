-- Foundation schema (SQLite dialect). Dates are ISO 'YYYY-MM-DD' text, timestamps RFC 3339 UTC text.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES orgs(id),
    path TEXT NOT NULL UNIQUE,
    depth INTEGER NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    setup_mode TEXT NOT NULL,
    founded TEXT NOT NULL,
    dissolved TEXT,
    region_code TEXT,
    credit_code TEXT,
    address TEXT,
    phone TEXT,
    term_start TEXT,
    province TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);

CREATE TABLE org_events (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    data TEXT NOT NULL,
    actor_id INTEGER,
    recorded_at TEXT NOT NULL
);
CREATE INDEX org_events_org ON org_events(org_id, date);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    org_id INTEGER REFERENCES orgs(id),
    active INTEGER NOT NULL,
    status TEXT,
    name TEXT NOT NULL,
    name_initials TEXT NOT NULL,
    name_pinyin TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    id_enc TEXT,
    id_hash TEXT,
    id_tail TEXT,
    native_place TEXT,
    education TEXT NOT NULL,
    occupation TEXT NOT NULL,
    phone TEXT,
    address TEXT,
    join_date TEXT,
    full_date TEXT,
    left_date TEXT,
    left_kind TEXT,
    village_post TEXT,
    floating INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    pre1949_veteran INTEGER NOT NULL DEFAULT 0,
    in_difficulty INTEGER NOT NULL DEFAULT 0,
    holds_office INTEGER NOT NULL DEFAULT 0,
    province TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX members_org ON members(org_id, active);
CREATE INDEX members_id_hash ON members(id_hash);
CREATE INDEX members_initials ON members(name_initials);
CREATE INDEX members_name ON members(name);
CREATE INDEX members_phone ON members(phone);

CREATE TABLE member_events (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    org_id INTEGER REFERENCES orgs(id),
    data TEXT NOT NULL,
    actor_id INTEGER,
    recorded_at TEXT NOT NULL,
    province TEXT
);
CREATE INDEX member_events_member ON member_events(member_id, date, id);
CREATE INDEX member_events_date ON member_events(date);

CREATE TABLE committee_seats (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    member_id INTEGER REFERENCES members(id),
    person_name TEXT NOT NULL,
    role TEXT NOT NULL,
    term_start TEXT NOT NULL,
    term_end TEXT,
    ended_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX committee_seats_org ON committee_seats(org_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    member_id INTEGER REFERENCES members(id),
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE user_roles (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id)
);
CREATE INDEX user_roles_user ON user_roles(user_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    client_addr TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    client_addr TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    scope_path TEXT,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_actor ON audit_log(actor_id);
CREATE INDEX audit_scope ON audit_log(scope_path);

-- 两新组织 registry (SPEC §4.1 Coverage): non-public enterprises, social organizations and
-- cooperatives under the oversight of an org of the tree, with how the Party covers them.
-- Current state in new_orgs; every dated change in new_org_events (coverage as of any date).
CREATE TABLE new_orgs (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    credit_code TEXT,
    kind TEXT NOT NULL,
    above_scale INTEGER NOT NULL DEFAULT 0,
    industry TEXT,
    address TEXT,
    headcount INTEGER NOT NULL,
    full_members INTEGER NOT NULL,
    probationary_members INTEGER NOT NULL,
    coverage TEXT NOT NULL,
    covering_org_id INTEGER REFERENCES orgs(id),
    liaison TEXT,
    registered TEXT NOT NULL,
    closed TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX new_orgs_org ON new_orgs(org_id);
CREATE INDEX new_orgs_covering ON new_orgs(covering_org_id);
CREATE UNIQUE INDEX new_orgs_credit_code ON new_orgs(credit_code);

CREATE TABLE new_org_events (
    id INTEGER PRIMARY KEY,
    new_org_id INTEGER NOT NULL REFERENCES new_orgs(id),
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    coverage TEXT,
    covering_org_id INTEGER REFERENCES orgs(id),
    data TEXT NOT NULL,
    actor_id INTEGER,
    recorded_at TEXT NOT NULL
);
CREATE INDEX new_org_events_unit ON new_org_events(new_org_id, date);

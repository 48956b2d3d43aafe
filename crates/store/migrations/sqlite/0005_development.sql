-- Development of new members (发展党员, SPEC §4.3): the people in the pipeline and their
-- dated steps; local rule overlays (SPEC §3 principle 4), in force from a date.
CREATE TABLE dev_people (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    name_initials TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    id_enc TEXT,
    id_hash TEXT,
    id_tail TEXT,
    education TEXT NOT NULL,
    occupation TEXT NOT NULL,
    phone TEXT,
    stage TEXT NOT NULL,
    member_id INTEGER REFERENCES members(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX dev_people_org ON dev_people(org_id, stage);

CREATE TABLE dev_steps (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES dev_people(id),
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    data TEXT NOT NULL,
    vote TEXT,
    note TEXT,
    actor_id INTEGER,
    recorded_at TEXT NOT NULL
);
CREATE INDEX dev_steps_person ON dev_steps(person_id, date);

CREATE TABLE rule_overlays (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    effective TEXT NOT NULL,
    body TEXT NOT NULL,
    actor_id INTEGER,
    created_at TEXT NOT NULL
);

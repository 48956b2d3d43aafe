-- Rectification plans (整改, SPEC §4.5): one plan per weak org and year — problems found,
-- measures, the person responsible, the higher-level helper, a deadline, progress notes.
CREATE TABLE rectifications (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    tier TEXT NOT NULL,
    problems TEXT NOT NULL,
    measures TEXT NOT NULL,
    owner TEXT NOT NULL,
    helper TEXT,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    evidence TEXT,
    completed TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX rectifications_key ON rectifications(org_id, year);

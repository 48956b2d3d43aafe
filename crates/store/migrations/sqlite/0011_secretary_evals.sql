-- Secretary evaluation (双述双评联考): the two reports, named ballots of the township
-- leadership, anonymous ballots of members and villager representatives (tokens hold only a
-- hash, a group and a used flag; ballots only a group and a grade), the weighted result.
CREATE TABLE secretary_evals (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    secretary TEXT NOT NULL,
    member_id INTEGER REFERENCES members(id),
    report_higher TEXT,
    report_higher_date TEXT,
    report_members TEXT,
    report_members_date TEXT,
    scheme TEXT NOT NULL,
    status TEXT NOT NULL,
    result TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX secretary_evals_key ON secretary_evals(org_id, year);

CREATE TABLE secretary_eval_tokens (
    id INTEGER PRIMARY KEY,
    eval_id INTEGER NOT NULL REFERENCES secretary_evals(id),
    rater_group TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    used INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE secretary_eval_ballots (
    id INTEGER PRIMARY KEY,
    eval_id INTEGER NOT NULL REFERENCES secretary_evals(id),
    rater_group TEXT NOT NULL,
    grade TEXT NOT NULL
);
CREATE INDEX secretary_eval_ballots_eval ON secretary_eval_ballots(eval_id);

CREATE TABLE secretary_eval_named (
    id INTEGER PRIMARY KEY,
    eval_id INTEGER NOT NULL REFERENCES secretary_evals(id),
    rater_name TEXT NOT NULL,
    grade TEXT NOT NULL
);
CREATE UNIQUE INDEX secretary_eval_named_rater ON secretary_eval_named(eval_id, rater_name);

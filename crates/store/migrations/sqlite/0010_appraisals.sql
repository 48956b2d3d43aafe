-- Democratic appraisal of members (民主评议党员): one appraisal per org and year with its
-- participants, anonymous rating ballots and the branch's decision.
-- Anonymity by construction: a token row holds only a hash and a used flag (no person, no
-- time); a ballot row holds only whom it rates and the grade (no token, no voter, no time).
CREATE TABLE appraisals (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    participants TEXT NOT NULL,
    status TEXT NOT NULL,
    decision_vote TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX appraisals_key ON appraisals(org_id, year);

CREATE TABLE appraisal_tokens (
    id INTEGER PRIMARY KEY,
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id),
    token_hash TEXT NOT NULL UNIQUE,
    used INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE appraisal_ballots (
    id INTEGER PRIMARY KEY,
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    grade TEXT NOT NULL
);
CREATE INDEX appraisal_ballots_appraisal ON appraisal_ballots(appraisal_id, member_id);

CREATE TABLE appraisal_grades (
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    grade TEXT NOT NULL,
    PRIMARY KEY (appraisal_id, member_id)
);

-- Ratings (分类定级, 升级晋位, SPEC §4.5): a round per (org, year, scheme) opened by the
-- organization department; one rating per org scored by the township, approved (审定) by
-- the department, published with a notice period.
CREATE TABLE rating_rounds (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    scheme TEXT NOT NULL,
    status TEXT NOT NULL,
    notice_from TEXT,
    notice_until TEXT,
    opened_by INTEGER,
    opened_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX rating_rounds_key ON rating_rounds(org_id, year, scheme);

CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rating_rounds(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    scores TEXT NOT NULL,
    comments TEXT,
    total INTEGER NOT NULL,
    derived_tier TEXT NOT NULL,
    proposed_tier TEXT,
    proposal_reason TEXT,
    tier TEXT,
    override_reason TEXT,
    status TEXT NOT NULL,
    scored_by INTEGER,
    scored_at TEXT NOT NULL,
    approved_by INTEGER,
    approved_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ratings_key ON ratings(round_id, org_id);
CREATE INDEX ratings_org ON ratings(org_id);

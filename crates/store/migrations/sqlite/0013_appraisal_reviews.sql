-- 民主评议党员 (SPEC §4.4): the named steps before the anonymous ballot — each member's
-- self-review (个人自评) and the opinions of fellow members (党员互评) — recorded per member
-- with their date. Records only: a later one for the same member adds, never replaces.
CREATE TABLE appraisal_reviews (
    id INTEGER PRIMARY KEY,
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    text TEXT NOT NULL,
    actor_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX appraisal_reviews_appraisal ON appraisal_reviews(appraisal_id, member_id);

-- 分类定级: publications of a round kept as records (公布, 撤回公布). A round is published in
-- full (every applicable org approved) or, with a reason, in part (`partial`, the counts
-- recorded); a publication is withdrawn with a reason and stays on record, so a round may be
-- published again. At most one publication of a round is in force (not withdrawn).
CREATE TABLE rating_publications (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rating_rounds(id),
    kind TEXT NOT NULL,
    notice_from TEXT NOT NULL,
    notice_until TEXT NOT NULL,
    approved INTEGER NOT NULL,
    applicable INTEGER NOT NULL,
    reason TEXT,
    published_by INTEGER,
    published_at TEXT NOT NULL,
    withdrawn_by INTEGER,
    withdrawn_at TEXT,
    withdraw_reason TEXT
);
CREATE INDEX rating_publications_round ON rating_publications(round_id);
CREATE UNIQUE INDEX rating_publications_current ON rating_publications(round_id) WHERE withdrawn_at IS NULL;
-- Rounds published before completeness was checked: `legacy`, with the orgs rated then as
-- the applicable count (a lower bound). They are not used as the latest complete round.
INSERT INTO rating_publications (round_id, kind, notice_from, notice_until, approved, applicable, published_at)
SELECT r.id, 'legacy', COALESCE(r.notice_from, ''), COALESCE(r.notice_until, ''),
       (SELECT COUNT(*) FROM ratings t WHERE t.round_id = r.id AND t.status = 'approved'),
       (SELECT COUNT(*) FROM ratings t WHERE t.round_id = r.id),
       COALESCE(r.notice_from, r.opened_at)
FROM rating_rounds r WHERE r.status = 'published';

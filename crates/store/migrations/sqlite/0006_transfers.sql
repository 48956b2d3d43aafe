-- 组织关系转接 (issue 5): a member's membership moving between orgs of the system
-- (internal: issued by the sending org, in transit, received or rejected by the other),
-- out of the system (outbound: the member leaves the roster on the issue date, the receipt
-- slip 回执 is recorded when it returns) and into it (inbound). The member events that move
-- the membership (`moved`, `transferred_out`, `transferred_in`) are written in the same
-- transaction; this table is the letter and its settlement.
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    from_org_id INTEGER REFERENCES orgs(id),
    to_org_id INTEGER REFERENCES orgs(id),
    origin TEXT,
    destination TEXT,
    letter_no TEXT,
    dues_paid_until TEXT,
    probationary INTEGER NOT NULL DEFAULT 0,
    issued TEXT NOT NULL,
    received TEXT,
    settled TEXT,
    reason TEXT,
    note TEXT,
    issued_by INTEGER,
    settled_by INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX transfers_member ON transfers(member_id);
CREATE INDEX transfers_from ON transfers(from_org_id, status);
CREATE INDEX transfers_to ON transfers(to_org_id, status);
-- At most one transfer in transit per member.
CREATE UNIQUE INDEX transfers_one_pending ON transfers(member_id) WHERE status = 'pending';

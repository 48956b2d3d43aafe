-- 流动党员 (issue 5): outbound registrations with the activity certificate
-- (流动党员活动证), destination, reason and planned period, an optional receiving org of the
-- system, the dated contact log (跟踪联络), return or cancellation (回访销号) and the
-- out-of-contact (失联) confirmation with its cause. The member's `floating_out` and
-- `floating_back` events are written in the same transaction.
CREATE TABLE floating_records (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    out_date TEXT NOT NULL,
    certificate_no TEXT NOT NULL,
    destination TEXT NOT NULL,
    region_code TEXT,
    reason TEXT NOT NULL,
    until_date TEXT,
    receiving_org_id INTEGER REFERENCES orgs(id),
    status TEXT NOT NULL,
    return_date TEXT,
    cancel_date TEXT,
    cancel_reason TEXT,
    lost INTEGER NOT NULL DEFAULT 0,
    lost_date TEXT,
    lost_cause TEXT,
    lost_note TEXT,
    regained_date TEXT,
    note TEXT,
    actor_id INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX floating_records_member ON floating_records(member_id);
CREATE INDEX floating_records_org ON floating_records(org_id, status);
CREATE INDEX floating_records_receiving ON floating_records(receiving_org_id, status);
-- At most one registration away per member.
CREATE UNIQUE INDEX floating_records_one_away ON floating_records(member_id) WHERE status = 'away';

CREATE TABLE floating_contacts (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES floating_records(id),
    date TEXT NOT NULL,
    way TEXT NOT NULL,
    note TEXT,
    actor_id INTEGER,
    recorded_at TEXT NOT NULL
);
CREATE INDEX floating_contacts_record ON floating_contacts(record_id, date);

-- Organizational life (三会一课) and dues (党费), as far as the self-withdrawal rule needs
-- them (党章 第九条; SPEC §4.4): meetings with their attendance list, and dues paid per member
-- and month. Both are records of what happened: never updated, never deleted.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    topic TEXT NOT NULL,
    lecturer TEXT,
    minutes TEXT,
    actor_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX meetings_org ON meetings(org_id, held_on);

CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    status TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id);

CREATE TABLE dues_payments (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    month TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    exempt INTEGER NOT NULL DEFAULT 0,
    paid_on TEXT NOT NULL,
    note TEXT,
    actor_id INTEGER,
    created_at TEXT NOT NULL
);
-- One record per member and month: a month is paid once.
CREATE UNIQUE INDEX dues_payments_month ON dues_payments(member_id, month);
CREATE INDEX dues_payments_org ON dues_payments(org_id, month);

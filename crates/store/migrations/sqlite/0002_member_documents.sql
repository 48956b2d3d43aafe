-- Member file (党员档案): the catalogue of documents in a member's file, with their dates.
CREATE TABLE member_documents (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_date TEXT NOT NULL,
    pages INTEGER,
    location TEXT,
    note TEXT,
    actor_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX member_documents_member ON member_documents(member_id, doc_date);

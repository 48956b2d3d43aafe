-- Suspended membership (停止党籍) as current state, folded from events like the rest.
ALTER TABLE members ADD COLUMN suspended BIGINT NOT NULL DEFAULT 0;

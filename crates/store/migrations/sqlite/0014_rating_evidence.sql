-- 分类定级 (SPEC §4.5): the evidence (佐证材料) per indicator, apart from the scorer's
-- comment — what was looked at (documents, ledgers, site visits) to give the points.
ALTER TABLE ratings ADD COLUMN evidence TEXT;

-- The stems of each searchable row for GET /api/v1/search, computed in Rust (Snowball's
-- Swedish stemmer) and written with the row. Rows written before are filled in by the
-- server right after migrating (search::index::backfill): '' means "not yet computed";
-- computed terms are never empty (at least ' ').
ALTER TABLE meetings ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE minutes ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE themes ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE action_items ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE supervisory_dialogues ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';

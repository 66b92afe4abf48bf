ALTER TABLE supervisory_dialogues DROP COLUMN search_terms;
ALTER TABLE action_items DROP COLUMN search_terms;
ALTER TABLE themes DROP COLUMN search_terms;
ALTER TABLE minutes DROP COLUMN search_terms;
ALTER TABLE meetings DROP COLUMN search_terms;

-- Records as a secretary keeps them: minutes say whether they are a protocol or notes,
-- and an amendment keeps what it changed.
ALTER TABLE minutes ADD COLUMN document_type TEXT NOT NULL DEFAULT 'notes';
ALTER TABLE minutes_amendments ADD COLUMN changes TEXT NOT NULL DEFAULT '[]';

ALTER TABLE minutes_amendments DROP COLUMN changes;
ALTER TABLE minutes DROP COLUMN document_type;

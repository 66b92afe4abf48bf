-- History: records carry the dates they really happened on, and say when they were
-- entered; a series keeps its timeline; imported records remember their bundle keys.

-- Only the day is known (entered afterwards from a document without a time).
ALTER TABLE meetings ADD COLUMN time_unspecified BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE meeting_series ADD COLUMN time_unspecified BOOLEAN NOT NULL DEFAULT FALSE;
-- Planned by its series (not entered or attached by someone): re-planning may change it.
ALTER TABLE meetings ADD COLUMN generated_by_series BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE meetings SET generated_by_series = TRUE WHERE series_id IS NOT NULL;
-- No meeting of the series on a Swedish public holiday.
ALTER TABLE meeting_series ADD COLUMN skip_holidays BOOLEAN NOT NULL DEFAULT TRUE;

-- When a fact that happened earlier was entered (NULL: it happened in the system).
ALTER TABLE minutes_approvals ADD COLUMN recorded_at TIMESTAMP;
ALTER TABLE minutes_approvals ADD COLUMN recorded_by TEXT;
ALTER TABLE supervisory_dialogues ADD COLUMN publication_recorded_at TIMESTAMP;
ALTER TABLE action_items ADD COLUMN completion_recorded_at TIMESTAMP;

-- A series' history: started, frequency changed, paused, resumed, ended, each on a day.
CREATE TABLE series_timeline (
    series_id TEXT NOT NULL REFERENCES meeting_series (id),
    position INTEGER NOT NULL,
    on_date DATE NOT NULL,
    kind TEXT NOT NULL,
    frequency TEXT,
    reason TEXT,
    note TEXT,
    approximate BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by TEXT,
    PRIMARY KEY (series_id, position)
);

-- Every series started on its first day at its frequency.
INSERT INTO series_timeline (series_id, position, on_date, kind, frequency, approximate, recorded_at)
SELECT id, 0, starts_on, 'started', frequency, FALSE, created_at FROM meeting_series;

-- Imports, and the bundle keys of what they wrote.
CREATE TABLE imports (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_user_id TEXT,
    source TEXT NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL
);

CREATE TABLE import_keys (
    kind TEXT NOT NULL,
    bundle_key TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    import_id TEXT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (kind, bundle_key)
);
CREATE UNIQUE INDEX import_keys_resource ON import_keys (kind, resource_id);

-- A series has one live meeting per start: a meeting it removed (soft-deleted) when its
-- timeline was corrected no longer holds the slot for the one planned again.
DROP INDEX meetings_series_occurrence;
CREATE UNIQUE INDEX meetings_series_occurrence ON meetings (series_id, starts_at) WHERE deleted_at IS NULL;

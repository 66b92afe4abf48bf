-- The kernel: every sub-collection item has a version of its own (If-Match on
-- attendees, findings and follow-ups), lessons and recommendations of supervisory
-- dialogues get a table of their own (searched and paged in SQL), and the indexes the
-- visibility subqueries use.

ALTER TABLE attendees ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE dialogue_findings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE dialogue_follow_ups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE INDEX meetings_network_id ON meetings (network_id, id);
CREATE INDEX meetings_starts_at ON meetings (starts_at, id);
DROP INDEX attendees_person;
CREATE INDEX attendees_person ON attendees (person_id, meeting_id);
DROP INDEX network_members_organization;
CREATE INDEX network_members_organization ON network_members (organization_id, network_id);
DROP INDEX network_participants_person;
CREATE INDEX network_participants_person ON network_participants (person_id, network_id);
CREATE INDEX meeting_series_network ON meeting_series (network_id);
CREATE INDEX themes_network_id ON themes (network_id, id);
CREATE INDEX action_items_owner_id ON action_items (owner_person_id, id);

CREATE TABLE dialogue_lessons (
    dialogue_id TEXT NOT NULL REFERENCES supervisory_dialogues (id),
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    search_text TEXT NOT NULL,
    PRIMARY KEY (dialogue_id, kind, position)
);

-- Existing lessons.
INSERT INTO dialogue_lessons (dialogue_id, kind, position, text, search_text)
SELECT d.id, 'lesson_learned', (e.n - 1)::integer, e.value, lower(e.value)
FROM supervisory_dialogues d
CROSS JOIN LATERAL jsonb_array_elements_text(d.lessons_learned::jsonb) WITH ORDINALITY AS e(value, n);
INSERT INTO dialogue_lessons (dialogue_id, kind, position, text, search_text)
SELECT d.id, 'recommendation', (e.n - 1)::integer, e.value, lower(e.value)
FROM supervisory_dialogues d
CROSS JOIN LATERAL jsonb_array_elements_text(d.recommendations::jsonb) WITH ORDINALITY AS e(value, n);

-- Requests to members: an action item addressed to several organizations, or to every
-- member organization of its network, with an answer from each. `addressed_to_members`
-- and `addressee_organization_ids` are what the minutes wrote; the replies are the
-- organizations that were asked (resolved when the addressing was written), each with
-- its own status and answer.
ALTER TABLE action_items ADD COLUMN addressed_to_members BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE action_items ADD COLUMN addressee_organization_ids TEXT NOT NULL DEFAULT '[]';

CREATE TABLE action_item_replies (
    action_item_id TEXT NOT NULL REFERENCES action_items (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL DEFAULT 'open',
    answer TEXT,
    answered_at TIMESTAMP,
    answered_by_person_id TEXT REFERENCES people (id),
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (action_item_id, organization_id)
);

-- "What is asked of my organization": /action-items?mine=true.
CREATE INDEX action_item_replies_organization ON action_item_replies (organization_id, action_item_id);

-- Records: minutes with approval and history, action items, themes with support,
-- supervisory dialogues with findings and follow-ups.

CREATE TABLE minutes (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL UNIQUE REFERENCES meetings (id),
    status TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    approvers TEXT NOT NULL,
    approval_due_on DATE NOT NULL,
    sections TEXT NOT NULL,
    visibility TEXT NOT NULL,
    submitted_at TIMESTAMP,
    approved_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX minutes_updated_at ON minutes (updated_at, id);

CREATE TABLE minutes_approvals (
    minutes_id TEXT NOT NULL REFERENCES minutes (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    approved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (minutes_id, person_id)
);

CREATE TABLE minutes_amendments (
    id TEXT PRIMARY KEY NOT NULL,
    minutes_id TEXT NOT NULL REFERENCES minutes (id),
    reason TEXT NOT NULL,
    changed_by TEXT NOT NULL REFERENCES people (id),
    changed_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX minutes_amendments_minutes ON minutes_amendments (minutes_id);

CREATE TABLE minutes_revisions (
    minutes_id TEXT NOT NULL REFERENCES minutes (id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (minutes_id, version)
);

CREATE TABLE action_items (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    network_id TEXT REFERENCES networks (id),
    section_index INTEGER NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    owner_person_id TEXT REFERENCES people (id),
    owner_organization_id TEXT REFERENCES organizations (id),
    due_on DATE,
    status TEXT NOT NULL,
    completed_at TIMESTAMP,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX action_items_updated_at ON action_items (updated_at, id);
CREATE INDEX action_items_meeting ON action_items (meeting_id);
CREATE INDEX action_items_owner ON action_items (owner_person_id);
CREATE INDEX action_items_network ON action_items (network_id, status);

CREATE TABLE themes (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    network_id TEXT NOT NULL REFERENCES networks (id),
    proposed_by_organization_id TEXT REFERENCES organizations (id),
    proposed_by_person_id TEXT REFERENCES people (id),
    status TEXT NOT NULL,
    status_reason TEXT,
    target_period TEXT,
    meeting_id TEXT REFERENCES meetings (id),
    agenda_item_id TEXT,
    tags TEXT NOT NULL,
    visibility TEXT NOT NULL,
    support_count INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX themes_updated_at ON themes (updated_at, id);
CREATE INDEX themes_network ON themes (network_id, status);
CREATE INDEX themes_support ON themes (support_count, id);

CREATE TABLE theme_supporters (
    theme_id TEXT NOT NULL REFERENCES themes (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    person_id TEXT REFERENCES people (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (theme_id, organization_id)
);

CREATE TABLE supervisory_dialogues (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    supervising_organization_id TEXT NOT NULL REFERENCES organizations (id),
    supervision_name TEXT NOT NULL,
    period_start DATE,
    period_end DATE,
    held_on DATE,
    mode TEXT,
    focus_questions TEXT NOT NULL,
    lessons_learned TEXT NOT NULL,
    recommendations TEXT NOT NULL,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    published_at TIMESTAMP,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX supervisory_dialogues_updated_at ON supervisory_dialogues (updated_at, id);

CREATE TABLE dialogue_participants (
    dialogue_id TEXT NOT NULL REFERENCES supervisory_dialogues (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (dialogue_id, organization_id)
);
CREATE INDEX dialogue_participants_organization ON dialogue_participants (organization_id);

CREATE TABLE dialogue_findings (
    id TEXT PRIMARY KEY NOT NULL,
    dialogue_id TEXT NOT NULL REFERENCES supervisory_dialogues (id),
    category TEXT,
    text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX dialogue_findings_dialogue ON dialogue_findings (dialogue_id);

CREATE TABLE dialogue_follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    dialogue_id TEXT NOT NULL REFERENCES supervisory_dialogues (id),
    description TEXT NOT NULL,
    responsible_organization_id TEXT REFERENCES organizations (id),
    due_on DATE,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX dialogue_follow_ups_dialogue ON dialogue_follow_ups (dialogue_id);

-- Collaboration core: networks with members and participants, meeting series,
-- meetings with agenda items and attendees.

CREATE TABLE networks (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    owner_organization_id TEXT NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL,
    focus_areas TEXT NOT NULL,
    cadence TEXT,
    visibility TEXT NOT NULL,
    contact_person_id TEXT REFERENCES people (id),
    started_on DATE,
    ended_on DATE,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX networks_updated_at ON networks (updated_at, id);

CREATE TABLE network_members (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    joined_on DATE,
    left_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX network_members_unique ON network_members (network_id, organization_id);
CREATE INDEX network_members_organization ON network_members (organization_id);

CREATE TABLE network_participants (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL,
    on_behalf_of_organization_id TEXT REFERENCES organizations (id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX network_participants_unique ON network_participants (network_id, person_id);
CREATE INDEX network_participants_person ON network_participants (person_id);

CREATE TABLE meeting_series (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks (id),
    title TEXT NOT NULL,
    frequency TEXT NOT NULL,
    weekday TEXT NOT NULL,
    start_time TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    status TEXT NOT NULL,
    status_reason TEXT,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    location TEXT,
    online_url TEXT,
    visibility TEXT NOT NULL,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX meeting_series_updated_at ON meeting_series (updated_at, id);

CREATE TABLE meetings (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT REFERENCES networks (id),
    series_id TEXT REFERENCES meeting_series (id),
    organizer_organization_id TEXT REFERENCES organizations (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    time_zone TEXT NOT NULL,
    mode TEXT NOT NULL,
    location TEXT,
    online_url TEXT,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX meetings_updated_at ON meetings (updated_at, id);
CREATE INDEX meetings_network_starts ON meetings (network_id, starts_at);
CREATE UNIQUE INDEX meetings_series_occurrence ON meetings (series_id, starts_at);

CREATE TABLE agenda_items (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    presenter_person_id TEXT REFERENCES people (id),
    duration_minutes INTEGER,
    theme_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

CREATE TABLE attendees (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    organization_id TEXT REFERENCES organizations (id),
    role TEXT NOT NULL,
    attendance TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX attendees_unique ON attendees (meeting_id, person_id);
CREATE INDEX attendees_person ON attendees (person_id);

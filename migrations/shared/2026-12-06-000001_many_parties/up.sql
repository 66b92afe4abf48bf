-- Many parties. A meeting held together by several networks ("kl 11–12 gemensamt med
-- barn och unga-nätverket"): its network hosts it, the co-hosts share it, so insiders of
-- each see it and coordinators of each manage it. `co_host_network_ids` is the list as
-- written (ordered, for the document and the response); `meeting_co_hosts` is the same
-- list as rows, for the visibility subqueries. Both are written together, only by
-- `meeting::set_co_hosts`.
ALTER TABLE meetings ADD COLUMN co_host_network_ids TEXT NOT NULL DEFAULT '[]';

CREATE TABLE meeting_co_hosts (
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    network_id TEXT NOT NULL REFERENCES networks (id),
    PRIMARY KEY (meeting_id, network_id)
);

-- "The meetings my network co-hosts": visibility and ?network_id=.
CREATE INDEX meeting_co_hosts_network ON meeting_co_hosts (network_id, meeting_id);

-- A theme a network wishes for ("Önskemål framförs från IFO-chefsnätverket").
ALTER TABLE themes ADD COLUMN proposed_by_network_id TEXT REFERENCES networks (id);

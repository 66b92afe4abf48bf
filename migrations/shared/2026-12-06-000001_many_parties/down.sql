ALTER TABLE themes DROP COLUMN proposed_by_network_id;
DROP INDEX meeting_co_hosts_network;
DROP TABLE meeting_co_hosts;
ALTER TABLE meetings DROP COLUMN co_host_network_ids;

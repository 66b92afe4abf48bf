-- A network's calendar window is the meetings that end after its start: an index that
-- finds them without reading the network's whole history.
CREATE INDEX meetings_network_ends ON meetings (network_id, ends_at);

DROP INDEX meetings_network_ends;

DROP TABLE attendees;
DROP TABLE agenda_items;
DROP TABLE meetings;
DROP TABLE meeting_series;
DROP TABLE network_participants;
DROP TABLE network_members;
DROP TABLE networks;

-- A meeting's mappings in every mailbox, by iCalUId: one Odoo event per meeting across connected users.
CREATE INDEX mapping_meeting ON mapping (ical_uid);

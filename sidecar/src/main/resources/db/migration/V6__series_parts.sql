-- A series without end goes on past Odoo's 720 events as further Odoo recurrences (docs/recurrence.md, "Going on
-- past Odoo's 720 events"): its continuation parts in order. Part 0 is the series row's own recurrence; parts
-- from 1 on are listed here.
CREATE TABLE series_part (
  series_id           BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  part                INTEGER NOT NULL,
  odoo_recurrence_id  BIGINT NOT NULL,
  CONSTRAINT series_part_pk PRIMARY KEY (series_id, part)
);
CREATE INDEX series_part_recurrence ON series_part (odoo_recurrence_id);

-- +goose Up
-- Units (SPEC §1): an installation serves the office that supervises
-- rectification and every unit it inspected; a unit owns its plans,
-- departments and people, whose names are unique within the unit only.
-- This step adds the tables and columns and lets a name repeat; 00008 (a
-- Go migration) gives every plan, department and person its unit, copying
-- a department or person two units share, and 00009 makes names unique per
-- unit.
-- name: 中共东莞市委政法委员会; short_name: 市委政法委; self_name: how the
-- unit calls itself in its documents (我委).
CREATE TABLE units (
    id         bigserial   PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    short_name text        NOT NULL,
    self_name  text        NOT NULL,
    created_at timestamptz
);
ALTER TABLE plans ADD COLUMN unit_id bigint REFERENCES units (id);
ALTER TABLE departments ADD COLUMN unit_id bigint REFERENCES units (id);
ALTER TABLE people ADD COLUMN unit_id bigint REFERENCES units (id);
ALTER TABLE groups ADD COLUMN unit_id bigint REFERENCES units (id);
CREATE INDEX idx_plans_unit_id ON plans (unit_id);
CREATE INDEX idx_groups_unit_id ON groups (unit_id);
-- 00008 may need a second 办公室 or 书记 before 00009's per-unit indexes.
ALTER TABLE departments DROP CONSTRAINT departments_name_key;
ALTER TABLE people DROP CONSTRAINT people_name_key;

-- A supervisor (巡察办/巡察组) reads the units listed here; none listed: all.
CREATE TABLE supervisor_units (
    person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    unit_id   bigint NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    PRIMARY KEY (person_id, unit_id)
);

-- +goose Down
DROP TABLE supervisor_units;
ALTER TABLE people ADD CONSTRAINT people_name_key UNIQUE (name);
ALTER TABLE departments ADD CONSTRAINT departments_name_key UNIQUE (name);
ALTER TABLE groups DROP COLUMN unit_id;
ALTER TABLE people DROP COLUMN unit_id;
ALTER TABLE departments DROP COLUMN unit_id;
ALTER TABLE plans DROP COLUMN unit_id;
DROP TABLE units;

-- +goose NO TRANSACTION
-- +goose Up
-- Units (SPEC §1): an installation serves the office that supervises
-- rectification and every unit it inspected; a unit owns its plans,
-- departments and people, whose names are unique within the unit only.
-- This step adds the tables and columns and lets a name repeat; 00008 (a
-- Go migration) gives every plan, department and person its unit, copying
-- a department or person two units share, and 00009 makes names unique per
-- unit.
-- SQLite cannot drop a column's UNIQUE, so departments and people are
-- rebuilt (SQLite's documented twelve steps): with foreign keys off, or
-- dropping the old tables would cascade to the rows that point at them;
-- and in one transaction.
PRAGMA foreign_keys = OFF;
BEGIN;

-- name: 中共东莞市委政法委员会; short_name: 市委政法委; self_name: how the
-- unit calls itself in its documents (我委).
CREATE TABLE units (
    id         integer     PRIMARY KEY AUTOINCREMENT,
    name       text        NOT NULL UNIQUE,
    short_name text        NOT NULL,
    self_name  text        NOT NULL,
    created_at datetime
);
ALTER TABLE plans ADD COLUMN unit_id integer REFERENCES units (id);
ALTER TABLE groups ADD COLUMN unit_id integer REFERENCES units (id);
CREATE INDEX idx_plans_unit_id ON plans (unit_id);
CREATE INDEX idx_groups_unit_id ON groups (unit_id);

CREATE TABLE departments_new (
    id      integer PRIMARY KEY AUTOINCREMENT,
    name    text    NOT NULL,
    unit_id integer REFERENCES units (id)
);
INSERT INTO departments_new (id, name) SELECT id, name FROM departments;
DROP TABLE departments;
ALTER TABLE departments_new RENAME TO departments;

CREATE TABLE people_new (
    id               integer PRIMARY KEY AUTOINCREMENT,
    name             text    NOT NULL,
    department_id    integer  REFERENCES departments (id),
    telegram_user_id integer  UNIQUE,
    lang             text    NOT NULL,
    sees_all         numeric NOT NULL,
    linked_at        datetime,
    unreachable_at   datetime,
    created_at       datetime,
    unit_id          integer REFERENCES units (id)
);
INSERT INTO people_new (id, name, department_id, telegram_user_id, lang, sees_all, linked_at, unreachable_at, created_at)
    SELECT id, name, department_id, telegram_user_id, lang, sees_all, linked_at, unreachable_at, created_at FROM people;
DROP TABLE people;
ALTER TABLE people_new RENAME TO people;
CREATE INDEX idx_people_department_id ON people (department_id);

-- A supervisor (巡察办/巡察组) reads the units listed here; none listed: all.
CREATE TABLE supervisor_units (
    person_id integer NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    unit_id   integer NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    PRIMARY KEY (person_id, unit_id)
);

COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
-- The units cannot be undone on SQLite (names two units share could not be
-- unique again); restore from the backup taken before the upgrade.
SELECT 1;

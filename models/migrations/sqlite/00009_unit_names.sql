-- +goose NO TRANSACTION
-- +goose Up
-- Names are unique within a unit, never across units (every unit has an
-- 办公室 and a 张伟). 00008 gave every plan and department its unit; 00007
-- dropped the unique names. SQLite cannot add NOT NULL, so plans and
-- departments are rebuilt (SQLite's documented twelve steps):
-- with foreign keys off, or dropping the old tables would cascade to the
-- rows that point at them; and in one transaction.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE plans_new (
    id            integer PRIMARY KEY AUTOINCREMENT,
    title         text        NOT NULL UNIQUE,
    team          text        NOT NULL,
    unit          text        NOT NULL,
    feedback_date date,
    time_zone     text        NOT NULL,
    year          integer      NOT NULL,
    created_at    datetime,
    unit_id       integer     NOT NULL REFERENCES units (id)
);
INSERT INTO plans_new (id, title, team, unit, feedback_date, time_zone, year, created_at, unit_id)
    SELECT id, title, team, unit, feedback_date, time_zone, year, created_at, unit_id FROM plans;
DROP TABLE plans;
ALTER TABLE plans_new RENAME TO plans;
CREATE INDEX idx_plans_unit_id ON plans (unit_id);

CREATE TABLE departments_new (
    id      integer PRIMARY KEY AUTOINCREMENT,
    name    text    NOT NULL,
    unit_id integer NOT NULL REFERENCES units (id)
);
INSERT INTO departments_new (id, name, unit_id) SELECT id, name, unit_id FROM departments;
DROP TABLE departments;
ALTER TABLE departments_new RENAME TO departments;
CREATE UNIQUE INDEX departments_unit_name ON departments (unit_id, name);

-- A person above the units (unit_id NULL: a supervisor, the office) is
-- not held to it: NULLs never collide. (00007 rebuilt people already.)
CREATE UNIQUE INDEX people_unit_name ON people (unit_id, name);

COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
SELECT 1;

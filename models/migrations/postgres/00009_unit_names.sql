-- +goose Up
-- Names are unique within a unit, never across units (every unit has an
-- 办公室 and a 张伟). 00008 gave every plan and department its unit; 00007
-- dropped the unique names.
ALTER TABLE departments ALTER COLUMN unit_id SET NOT NULL;
ALTER TABLE plans ALTER COLUMN unit_id SET NOT NULL;
CREATE UNIQUE INDEX departments_unit_name ON departments (unit_id, name);
-- A person above the units (unit_id NULL: a supervisor, the office) is
-- not held to it: NULLs never collide.
CREATE UNIQUE INDEX people_unit_name ON people (unit_id, name);

-- +goose Down
DROP INDEX people_unit_name;
DROP INDEX departments_unit_name;
ALTER TABLE plans ALTER COLUMN unit_id DROP NOT NULL;
ALTER TABLE departments ALTER COLUMN unit_id DROP NOT NULL;

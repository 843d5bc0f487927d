-- +goose Up
-- A new deadline asked by an officer is a request until the task's leader
-- or the office decides it (SPEC §2, issue 10). Rows written before this
-- migration were applied at once: they stand as approved by their author.
ALTER TABLE deadline_changes ADD COLUMN state text NOT NULL DEFAULT 'approved';
ALTER TABLE deadline_changes ADD COLUMN decided_by_id integer REFERENCES people (id);
ALTER TABLE deadline_changes ADD COLUMN decided_at datetime;
ALTER TABLE deadline_changes ADD COLUMN decision_reason text NOT NULL DEFAULT '';
UPDATE deadline_changes SET decided_by_id = changed_by_id, decided_at = created_at;
-- At most one open request per task: a second one replaces the first.
CREATE UNIQUE INDEX deadline_changes_one_pending ON deadline_changes (task_id) WHERE state = 'pending';

-- +goose Down
DROP INDEX deadline_changes_one_pending;
ALTER TABLE deadline_changes DROP COLUMN decision_reason;
ALTER TABLE deadline_changes DROP COLUMN decided_at;
ALTER TABLE deadline_changes DROP COLUMN decided_by_id;
ALTER TABLE deadline_changes DROP COLUMN state;

-- +goose Up
-- When a long-term (长期坚持) task's leader marked its stage goals met
-- (阶段性完成): it stays ongoing and keeps its check-ins, and digests and
-- the 通报 count it as done. Who marked it is in the audit trail
-- (task.stage_done). NULL: not marked.
ALTER TABLE tasks ADD COLUMN stage_done_at timestamptz;

-- +goose Down
ALTER TABLE tasks DROP COLUMN stage_done_at;

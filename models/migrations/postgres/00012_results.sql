-- +goose Up
-- What the 通报 needs of a plan beyond its ledger (SPEC §2): the 巡察时间
-- (the opening says 于2020年12月8日至2021年1月8日), the contact its closing
-- paragraph invites 监督 through, and the office's own 组织领导 and 督促检查
-- paragraphs ('' means the report writes default sentences).
ALTER TABLE plans ADD COLUMN inspected_from date;
ALTER TABLE plans ADD COLUMN inspected_to date;
ALTER TABLE plans ADD COLUMN contact text NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN organisation text NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN supervision text NOT NULL DEFAULT '';

-- Result figures (整改成效): 新建、修订制度 (项), 追回资金 (万元), 问责 (人),
-- 线索移交 (件), per plan and optionally per task, summed into the 通报.
-- One row per entry, appended like the audit trail: a correction is an
-- entry with a negative amount. amount is in hundredths of the kind's unit
-- (1.44万元 is 144, 19项 is 1900) as an integer: sums are exact on both
-- engines, where SQLite has no decimal type (numeric affinity keeps REAL,
-- and 0.1 + 0.2 is not 0.3) and a decimal string cannot be summed in SQL.
CREATE TABLE results (
    id         bigserial   PRIMARY KEY,
    plan_id    bigint      NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    task_id    bigint      REFERENCES tasks (id) ON DELETE CASCADE,
    kind       text        NOT NULL,
    amount     bigint      NOT NULL,
    note       text        NOT NULL,
    author_id  bigint      REFERENCES people (id),
    author     text        NOT NULL,
    created_at timestamptz
);
CREATE INDEX idx_results_plan_id ON results (plan_id);
CREATE INDEX idx_results_task_id ON results (task_id);

-- +goose Down
DROP TABLE results;
ALTER TABLE plans DROP COLUMN supervision;
ALTER TABLE plans DROP COLUMN organisation;
ALTER TABLE plans DROP COLUMN contact;
ALTER TABLE plans DROP COLUMN inspected_to;
ALTER TABLE plans DROP COLUMN inspected_from;

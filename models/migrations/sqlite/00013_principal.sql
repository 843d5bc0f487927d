-- SQLite twin of ../postgres/00013_principal.sql: same column, SQLite's types.
-- +goose Up
-- The 第一责任人 of the 整改报告 (issue 12): the inspected unit's principal
-- leader, who signs the report to the 巡察组 (第一责任人：…（签字）).
-- '' means none set yet: the report leaves the name blank to sign.
ALTER TABLE plans ADD COLUMN principal text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE plans DROP COLUMN principal;

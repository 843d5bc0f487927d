-- SQLite twin of ../postgres/00015_inbox_failed.sql: the same index.
-- +goose Up
-- Failed updates, kept 31 days for `rectibot inbox`: the operator's metrics
-- count them at every scrape and `rectibot inbox` lists the newest first.
-- Without this both read every handled update kept (a day of them).
CREATE INDEX idx_inbox_updates_failed ON inbox_updates (done_at DESC, update_id DESC) WHERE outcome = 'failed';

-- +goose Down
DROP INDEX idx_inbox_updates_failed;

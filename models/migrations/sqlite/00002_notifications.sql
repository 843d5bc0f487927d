-- +goose Up
-- One row per due item the scheduler told someone about (a reminder for a
-- day, an escalation, a check-in, a follow-up): the scheduler re-computes
-- what is due from the ledger and leaves out what is here, so an item is
-- sent once even when its job runs twice.
CREATE TABLE notifications (
    id           integer PRIMARY KEY AUTOINCREMENT,
    due_key      text   NOT NULL UNIQUE,
    task_id      integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    person_id    integer REFERENCES people (id),
    kind         text   NOT NULL,
    day          date   NOT NULL,
    delivery_key text   NOT NULL,
    sent_at      datetime
);
CREATE INDEX idx_notifications_task_id ON notifications (task_id);

-- +goose Down
DROP TABLE notifications;

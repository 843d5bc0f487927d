-- +goose Up
-- The inbox at the bot's entrance: every Telegram update is stored here
-- before it is confirmed to Telegram (the poller's offset moves, the webhook
-- answers 200), and handled from here. update_id is the primary key, so a
-- redelivered update is stored once and handled once.
CREATE TABLE inbox_updates (
    update_id       bigint PRIMARY KEY,
    chat_id         bigint      NOT NULL,
    kind            text        NOT NULL,
    payload         text        NOT NULL,
    received_at     timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    done_at         timestamptz,
    outcome         text        NOT NULL DEFAULT '',
    last_error      text        NOT NULL DEFAULT '',
    told_at         timestamptz
);
-- What is still to be handled, chat by chat in update order.
CREATE INDEX idx_inbox_updates_pending ON inbox_updates (chat_id, update_id) WHERE done_at IS NULL;
-- Purging handled updates and listing failed ones.
CREATE INDEX idx_inbox_updates_done ON inbox_updates (done_at) WHERE done_at IS NOT NULL;

-- One row per chat that ever wrote: which process handles the chat now
-- (a lease, so one chat's updates are handled by one replica at a time and
-- in order) and when it was last told to slow down.
CREATE TABLE inbox_chats (
    chat_id         bigint PRIMARY KEY,
    owner           text        NOT NULL DEFAULT '',
    lease_until     timestamptz NOT NULL,
    flood_notice_at timestamptz
);

-- +goose Down
DROP TABLE inbox_chats;
DROP TABLE inbox_updates;

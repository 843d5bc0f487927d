-- SQLite twin of ../postgres/00014_user_languages.sql: same table, SQLite's types.
-- +goose Up
-- The language chosen with /lang by someone the ledger does not know as a
-- person: an admin named in RECTIBOT_ADMINS who has not linked themselves.
-- A linked person's choice is people.lang. Telegram's own apps have no
-- Simplified Chinese, so many Chinese users' clients say "en": without
-- this, such an admin who chose 中文 was answered in English again at the
-- next message.
CREATE TABLE user_languages (
    telegram_user_id integer PRIMARY KEY,
    lang text NOT NULL,
    updated_at datetime NOT NULL
);

-- +goose Down
DROP TABLE user_languages;

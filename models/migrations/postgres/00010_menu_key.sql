-- +goose Up
-- What command menu the bot last set in a person's private chat (a digest
-- of it): `serve` sets a person's menu at start only when it changed, not
-- three calls per person at every start (210,000 at province scale).
ALTER TABLE people ADD COLUMN menu_key text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE people DROP COLUMN menu_key;

// Package bot is rectibot's edge to Telegram: long polling or the webhook,
// update de-duplication and per-chat ordering, recovery and authentication
// middleware, and the one rate-limited sender every message goes through.
// It is the only package, with handlers and cmd, that imports
// github.com/go-telegram/bot. It arrives with the Telegram issue; until then
// the ledger is used from the command line (cmd/rectibot).
package bot

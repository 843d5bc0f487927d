// Package handlers holds the bot's conversations, one file each (tasks,
// report, digest, verify, admin…). Handlers translate Telegram updates into
// calls on the ledger and the store, re-checking permissions with
// ledger.Authorize at every action. It arrives with the Telegram issue.
package handlers

// Package miniapp is the dashboard leaders open inside Telegram (a Mini
// App): the embedded page at /app/ and its JSON API at /app/api/, each
// call authenticated by the initData Telegram signs, each answer within
// the caller's reach by the same rules as the bot (ledger.Authorize). It
// knows no Telegram library: photos come through a small interface the
// bot's edge implements.
package miniapp

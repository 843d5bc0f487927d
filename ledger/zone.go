package ledger

// DefaultTimeZone is the zone of plans that name none, and of the bot's
// own dates when RECTIBOT_TIME_ZONE is unset: the ledgers are Chinese. It
// lives here, in the domain package, so the configuration can read it
// without importing the database layer.
const DefaultTimeZone = "Asia/Shanghai"

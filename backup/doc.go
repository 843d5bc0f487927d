// Package backup copies a whole installation — every table of the ledger
// and River's jobs — to a portable file, and restores such a file into an
// empty database of either engine: a backup made on PostgreSQL restores on
// SQLite and the other way round. It works on the *gorm.DB models.Open
// returns, through database/sql, and knows nothing of Telegram.
//
// # Why a file of our own, not pg_dump or SQLite's online backup
//
// A pg_dump restores on PostgreSQL only and an SQLite file on SQLite only,
// and the two schemas differ in their types (bigint and integer, boolean
// and numeric 0/1, timestamptz and text, and in River's tables jsonb and
// SQLite's binary JSONB, text[] and JSON arrays, bit(8) and an integer).
// So the file holds engine-neutral values and each engine's column types
// are read from the database itself (information_schema, pragma
// table_info) at both ends; the conversions are in column.go.
//
// # The file
//
// A gzip'd stream of JSON values, one a line (Format, version 1):
//
//   - a header object: format, version, created_at, the source engine, the
//     ledger's migration version (goose) and River's, and the tables in
//     restore order with their row counts;
//   - per table an object naming it and its columns with their kinds
//     (int, text, bool, date, timestamp, json, bytes), then one JSON array
//     per row, values in column order;
//   - an end object.
//
// Values: integers as JSON numbers, read back as exact 64-bit integers
// (never through a float; a tool like jq would round those above 2^53, none
// of rectibot's are); dates YYYY-MM-DD; timestamps RFC 3339 with
// nanoseconds in UTC; bytes base64; JSON columns as JSON (so SQL NULL and a
// JSON null are one; River never stores a JSON null). The header's row
// counts and the end object make a cut file fail even where gzip's own
// check would not be reached. The file holds personal data (names,
// Telegram ids, what people reported): the command writes it 0600.
//
// # Consistency while serve runs
//
// Everything is read in one read-only transaction: REPEATABLE READ on
// PostgreSQL (one snapshot for all tables), a read transaction on SQLite
// (in WAL mode a snapshot that writers do not disturb and do not wait
// for). Rows are streamed table by table, ordered by primary key, never
// held in memory whole.
//
// # What is copied
//
// Tables lists the tables in foreign-key order. Left out, on purpose: the
// version tables (goose_db_version, river_migration: the target is
// migrated by rectibot itself, and the versions are in the header),
// river_leader (who leads now, expiring in seconds), river_notification
// (SQLite's listener outbox, transient) and river_queue (River writes a
// queue's row when a client first works it; it only holds a pause, which
// rectibot never sets). A table in the database that is neither copied
// nor left out stops the backup: a migration that adds a table must add it
// here, and the tests, which back up a fully migrated database, say so.
// Sessions and rate limits live in Redis (or in memory) and are not part
// of a backup: a person mid-dialogue starts the dialogue again.
//
// # Restore
//
// Restore refuses (ErrRefused; the command exits 3) a file that is not a
// backup, is damaged or cut, or comes from another schema version than the
// target's, and a target that already holds rows in any copied table.
// Every row is inserted, in foreign-key order, in one transaction,
// sequences are moved past the restored ids, and the transaction commits
// only once the end object was read and every count matched: a failure
// anywhere leaves the target as it was — migrated, and empty.
//
// Versions must match exactly: a migration may move data (00008 gave
// every row its unit, 00011 filled last_report_at), which an empty schema
// at the new version cannot replay. So `rectibot restore` weighs the
// file's versions against the target's first (CheckSchema): a backup of an
// older release goes into a new database brought to the backup's schema
// (models.MigrateTo, scheduler.MigrateTo), and the newer migrations then
// run on the restored rows; a backup of a newer release, or one older than
// what the target already has (migrations run up only), is refused.
//
// Jobs keep their state: planned reminders stay planned, dead letters
// stay listed by rectibot jobs, and a job that was running when the backup
// was taken is taken up again by River's rescuer once its rescue time
// passes (RECTIBOT_JOB_RESCUE_AFTER). River's own timestamps on SQLite
// keep milliseconds (River writes them so), the ledger's nanoseconds;
// PostgreSQL keeps microseconds.
package backup

// Package scheduler decides which reminders, escalations, digests and
// follow-up reviews are due and enqueues them on a durable job queue in the
// same transaction as the ledger change that makes them due. It arrives with
// the reminders issue; the calendar it needs (China's working days) is
// ledger.Calendar already.
package scheduler

package outbound

// Kind says why a message was sent. It is recorded on the message's
// delivery, where the sandbox's side panel and an operator read it; one
// constant per kind, so no kind is spelt (or built) at a call site.
type Kind string

// Messages a person asked for.
const (
	KindAnswer        Kind = "reply" // any other answer to what a person said (the sender's default)
	KindTaskCard      Kind = "task_card"
	KindTaskList      Kind = "task_list"
	KindReportPrompt  Kind = "report_prompt"
	KindReplyPrompt   Kind = "reply_prompt"
	KindVerifyList    Kind = "verify_list"
	KindDigest        Kind = "digest"
	KindOverdue       Kind = "overdue"
	KindEvidence      Kind = "evidence"
	KindInvite        Kind = "invite"
	KindGroupSettings Kind = "group_settings"
	KindNotice        Kind = "notice"
	KindExport        Kind = "export"
)

// Messages about a decision or a request, to the people it concerns.
const (
	KindClosure          Kind = "closure"
	KindClosureRejected  Kind = "closure_rejected"
	KindClosureRequest   Kind = "closure_request"
	KindDeadlineRequest  Kind = "deadline_request"
	KindDeadlineApproved Kind = "deadline_approved"
	KindDeadlineRejected Kind = "deadline_rejected"
	KindStageDone        Kind = "stage_done"
	KindReopened         Kind = "reopened"
	KindAnnounceClosure  Kind = "announce_closures" // to the groups that hear of closures
)

// Messages the scheduler sends.
const (
	KindReminder        Kind = "reminder"
	KindEscalation      Kind = "escalation"
	KindEscalationGroup Kind = "escalation_group"
	KindFollowUp        Kind = "follow_up"
)

// Notices about the bot itself (the inbox's delays and failures).
const (
	KindInboxDelayed Kind = "inbox_delayed"
	KindInboxFailed  Kind = "inbox_failed"
	KindInboxFlood   Kind = "inbox_flood"
	KindApology      Kind = "apology"
)

// Kinds of a stored file sent back (StoredFile.Kind).
const (
	FilePhoto    = "photo"
	FileDocument = "document"
)

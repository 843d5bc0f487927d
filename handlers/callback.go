package handlers

import "github.com/rectibot/rectibot/outbound"

// Callback data carries ids only, never authority: "prefix:id[:arg]", at
// most 64 bytes. Every press is re-checked against the ledger.
const (
	cbOpenTask        = outbound.PrefixOpenTask // t:<task>  open a task card
	cbTasksPage       = "tp"                    // tp:<page>           page of /tasks
	cbReport          = outbound.PrefixReport   // r:<task>  start /report on a task
	cbReportStep      = "rs"                    // rs:0:<choice>       a choice in the report dialogue
	cbReplyTask       = "ry"                    // ry:<task>           which task a reply is about
	cbReplyOK         = "ro"                    // ro:0:<yes|no>       confirm recording a reply
	cbApprove         = "va"                    // va:<task>[:p<page>] approve a closure; va:0:p<page> pages /verify
	cbReject          = "vr"                    // vr:<task>[:p<page>] reject a closure (asks why)
	cbInvitePick      = "ip"                    // ip:<person>|ip:0:p<page>
	cbInviteRole      = "ir"                    // ir:<person>:<role>
	cbGroup           = "g"                     // g:<department>:<toggle>  group subscriptions
	cbLang            = "l"                     // l:0:<zh|en>
	cbCancel          = "x"                     // x                   leave the dialogue
	cbFollowUp        = outbound.PrefixFollowUp // fu:<task>:<yes|no>  follow-up review
	cbVerifyConfirm   = "vy"                    // vy:<task>[:p<page>]    approve a closure, confirmed
	cbBackToCard      = "vc"                    // vc:<task>              back from a question to the task card
	cbDeadlineApprove = "da"                    // da:<request>[:p<page>] approve a new deadline (asks to confirm)
	cbDeadlineConfirm = "dy"                    // dy:<request>[:p<page>] approve a new deadline, confirmed
	cbEvidence        = "ev"                    // ev:<task>              send the task's evidence back
	cbDeadlineReject  = "dr"                    // dr:<request>[:p<page>] refuse a new deadline (asks why)
	cbStageDone       = "sd"                    // sd:<task>[:y|:n]    阶段性完成 of a long-term task, then confirm
	cbOverview        = "ov"                    // ov:<unit>|ov:0:p<page>  a unit's digest from /overview; page it
	cbNoticeDoc       = "nd"                    // nd:<plan>:<report|plan>  the 整改报告 or 整改方案 under /notice's 通报
)

// Ticking measures from a task card (measures.go).
const (
	cbMeasures     = "mo" // mo:<task>            show the card's measures as tick buttons
	cbMeasureTick  = "mt" // mt:<measure>:<1|0>   tick (1) or untick (0) a measure
	cbMeasuresBack = "mb" // mb:<task>            the card's own buttons again
)

const maxCallbackData = outbound.MaxCallbackData

type callbackData = outbound.CallbackData

func cb(prefix string, id uint, arg string) string { return outbound.Data(prefix, id, arg) }

func parseCallback(s string) (callbackData, error) { return outbound.ParseData(s) }

package handlers

// Shared by /report (report.go, report_steps.go) and reply-to-message
// progress (reply.go): what a message brings as evidence, and the session
// bookkeeping both dialogues need.

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"

	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/session"
)

// Keys of session.State.Data used by the report and reply dialogues.
const (
	rkText     = "text"     // the report's words (captions and text, joined)
	rkPrompt   = "prompt"   // id of the message whose buttons are live now
	rkChoice   = "choice"   // report: the status choice
	rkDeadline = "deadline" // report: the new deadline, YYYY-MM-DD
	rkReason   = "reason"   // report: why the deadline moves
	rkTasks    = "tasks"    // reply: the tasks the replied message was about
)

// maxReportFiles bounds what one report collects: an album is at most 10,
// and the whole state travels through Redis on every step.
const maxReportFiles = 20

var (
	// errDialogueMoved means the dialogue moved on (or ended) between reading it
	// and writing it: a second press, another replica, an expiry.
	errDialogueMoved = errors.New("dialogue moved on")
	// errTooManyFiles refuses an attachment past maxReportFiles.
	errTooManyFiles = errors.New("too many attachments")
)

// evidence is what one message brings to a report: its words (text, or a
// photo's or document's caption) and at most one file.
type evidence struct {
	text string
	att  *session.Attachment
}

func evidenceOf(m *inbound.Message) evidence {
	switch {
	case m.Photo != nil:
		p := m.Photo // the largest size, chosen where the update came in
		return evidence{text: strings.TrimSpace(m.Caption), att: &session.Attachment{Kind: session.AttachmentPhoto,
			FileID: p.FileID, FileUniqueID: p.FileUniqueID, MIMEType: p.MIMEType, Size: p.Size}}
	case m.Document != nil:
		d := m.Document
		return evidence{text: strings.TrimSpace(m.Caption), att: &session.Attachment{Kind: session.AttachmentDocument,
			FileID: d.FileID, FileUniqueID: d.FileUniqueID, FileName: d.FileName, MIMEType: d.MIMEType, Size: d.Size}}
	}
	return evidence{text: strings.TrimSpace(m.Text)}
}

func (e evidence) empty() bool { return e.text == "" && e.att == nil }

// addTo merges the evidence into a dialogue's state.
func (e evidence) addTo(st *session.State) error {
	if e.att != nil {
		if len(st.Attachments) >= maxReportFiles {
			return errTooManyFiles
		}
		st.Attachments = append(st.Attachments, *e.att)
	}
	if e.text != "" {
		if prev := st.Data[rkText]; prev != "" {
			st.Data[rkText] = prev + "\n" + e.text
		} else {
			st.Data[rkText] = e.text
		}
	}
	return nil
}

// storedAttachments turns the collected files into the ledger's records.
func storedAttachments(in []session.Attachment) []dbmodels.Attachment {
	out := make([]dbmodels.Attachment, len(in))
	for i, a := range in {
		out[i] = dbmodels.Attachment{Kind: a.Kind, FileID: a.FileID, FileUniqueID: a.FileUniqueID,
			FileName: a.FileName, MIMEType: a.MIMEType, Size: a.Size}
	}
	return out
}

// stepDialogue writes the dialogue's next state if it is still at step from;
// otherwise it returns errDialogueMoved and writes nothing. It is how a step is
// taken once only when a button is pressed twice or on two replicas.
func (h *Handler) stepDialogue(ctx context.Context, r *request, dialogue, from string, edit func(st *session.State) error) (session.State, error) {
	return h.d.Sessions.Update(ctx, r.chatID, r.userID, func(st *session.State, exists bool) error {
		if !exists || st.Dialogue != dialogue || st.Step != from {
			return errDialogueMoved
		}
		return edit(st)
	})
}

// sendPrompt sends a message whose buttons drive the dialogue and remembers it,
// so that buttons of an older prompt (an earlier report, a reply replaced
// by a newer one) cannot act on the current state.
func (h *Handler) sendPrompt(ctx context.Context, r *request, dialogue string, m outbound.Message) error {
	id, err := h.send(ctx, r, m)
	if err != nil || id == 0 {
		return err
	}
	_, err = h.d.Sessions.Update(ctx, r.chatID, r.userID, func(st *session.State, exists bool) error {
		if !exists || st.Dialogue != dialogue {
			return errDialogueMoved
		}
		st.Data[rkPrompt] = strconv.Itoa(id)
		return nil
	})
	if err != nil && !errors.Is(err, errDialogueMoved) {
		// The prompt is out; without the mark its buttons still work.
		h.d.Log.WarnContext(ctx, "remember prompt", slog.Any("err", err))
	}
	return nil
}

// pressedDialogue loads the dialogue a button press belongs to. When it is gone, or
// the press is on an outdated prompt, the press is answered accordingly
// and ok is false.
func (h *Handler) pressedDialogue(ctx context.Context, r *request, dialogue string) (st session.State, ok bool, err error) {
	st, live, err := h.d.Sessions.Get(ctx, r.chatID, r.userID)
	if err != nil {
		h.answer(ctx, r, "")
		return st, false, h.sessionDown(ctx, r, err)
	}
	if !live {
		if expired, _ := h.d.Sessions.Expired(ctx, r.chatID, r.userID); expired {
			h.answer(ctx, r, r.t("dialogue_expired", nil))
		} else {
			h.answer(ctx, r, r.t("report_gone", nil))
		}
		return st, false, nil
	}
	p := st.Data[rkPrompt]
	if st.Dialogue != dialogue || (p != "" && r.msg != nil && p != strconv.Itoa(r.msg.ID)) {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return st, false, nil
	}
	return st, true, nil
}

// pressOrSay answers a press, or says it in the chat for a message.
func (h *Handler) pressOrSay(ctx context.Context, r *request, text string) {
	if r.cb != nil {
		h.answer(ctx, r, text)
		return
	}
	_ = h.say(ctx, r, text)
}

// reportableTask reloads a task and checks, now, that the person may take
// every one of acts on it and that it is still open. When not, it says why
// (to the press or in the chat) and returns false; transient is true when
// the failure was the database, not the answer.
func (h *Handler) reportableTask(ctx context.Context, r *request, taskID uint, acts ...ledger.Action) (it dbmodels.TaskItem, ok, transient bool) {
	it, err := h.d.Store.TaskItem(ctx, taskID)
	if err != nil && !errors.Is(err, dbmodels.ErrNotFound) {
		h.d.Log.ErrorContext(ctx, "load task", slog.Uint64("task", uint64(taskID)), slog.Any("err", err))
		h.pressOrSay(ctx, r, r.t("try_later", nil))
		return it, false, true
	}
	scope := it.Scope()
	for _, act := range acts {
		if err == nil {
			err = ledger.Authorize(r.actor, act, &scope)
		}
	}
	switch {
	case err != nil: // denied, or the task is gone: the same answer
		h.pressOrSay(ctx, r, r.t("not_allowed", nil))
		return it, false, false
	case it.Status == ledger.StatusClosed:
		h.pressOrSay(ctx, r, r.t("report_task_closed", nil))
		return it, false, false
	}
	return it, true, false
}

// mayReport says whether the person could report on the task now, without
// telling anyone (to filter lists and buttons).
func mayReport(a ledger.Actor, it dbmodels.TaskItem) bool {
	scope := it.Scope()
	return it.Status != ledger.StatusClosed && ledger.Authorize(a, ledger.ActReportProgress, &scope) == nil
}

// reportTaskLabel names a task in a message: code in bold and a short title.
func reportTaskLabel(it dbmodels.TaskItem) string {
	return "<b>" + esc(it.Code) + "</b> " + esc(short(it.Title, 40))
}

// evidenceSummary is a report's words and files in one short line.
func evidenceSummary(r *request, text string, files int) string {
	var parts []string
	if text != "" {
		parts = append(parts, esc(short(strings.Join(strings.Fields(text), " "), 80)))
	}
	if files > 0 {
		parts = append(parts, r.t("report_attachments", map[string]any{"Count": files}))
	}
	return strings.Join(parts, " ")
}

// taskPlan loads the plan of a task, for its year and time zone.
func (h *Handler) taskPlan(ctx context.Context, it dbmodels.TaskItem) (dbmodels.Plan, error) {
	return h.d.Store.FindPlan(ctx, strconv.FormatUint(uint64(it.PlanID), 10))
}

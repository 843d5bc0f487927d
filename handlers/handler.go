// Package handlers holds the bot's conversations, one file each (start,
// tasks, report, reply, digest, verify, export, invite, group, lang). A
// handler reads the update, asks the ledger (always re-checking permissions
// with ledger.Authorize at the moment of the action, buttons included) and
// answers through the one sender. Messages come from the render package's
// catalogs, in the user's language.
package handlers

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/session"
)

// Throttle limits attempts per key (invite code guessing per user).
type Throttle interface {
	Allow(key string) bool
}

// Deps is what the handlers need, wired in cmd/rectibot.
type Deps struct {
	Store       *dbmodels.Store
	Out         outbound.Sender
	Sessions    session.Store
	Clock       clock.Clock
	Admins      []int64       // Telegram user ids that are admins from the start
	BotUsername func() string // learned from getMe at start
	Light       ledger.LightThresholds
	Calendar    ledger.Calendar // working days, for how late a task is; nil is China's calendar
	Menus       Menus           // sets command menus at run time (per person); nil sets none
	Guesses     Throttle
	Log         *slog.Logger
	// DOCXTemplate is the layout of the documents /notice sends (the
	// office's reference .docx); nil is the built-in one.
	DOCXTemplate *notice.Template
	// MiniAppURL is the dashboard's public https URL; "" offers no
	// 整改看板 button.
	MiniAppURL string
}

// Handler routes updates to the conversations.
type Handler struct {
	d         Deps
	commands  map[string]command
	callbacks map[string]callback
}

// command handles "/name args".
type command struct {
	run     func(ctx context.Context, r *request, args string) error
	private bool // only in a private chat
	group   bool // only in a group
	public  bool // also for people not linked yet (/start, /help, /cancel, /lang)
}

// callback handles a button press whose data starts with its prefix.
type callback func(ctx context.Context, r *request, data callbackData) error

// GroupAnonymousBot is the user Telegram shows for anonymous group admins; it
// is never treated as a person.
const GroupAnonymousBot = 1087968824

// New builds the router.
func New(d Deps) *Handler {
	h := &Handler{d: d}
	h.commands = map[string]command{
		"start":   {run: h.start, private: true, public: true},
		"help":    {run: h.help, public: true},
		"cancel":  {run: h.cancel, public: true},
		"lang":    {run: h.lang, private: true, public: true},
		"tasks":   {run: h.tasks, private: true},
		"task":    {run: h.task, private: true},
		"report":  {run: h.report, private: true},
		"digest":  {run: h.digest},
		"overdue": {run: h.overdue, private: true},
		"verify":  {run: h.verify, private: true},
		"export":  {run: h.export, private: true},
		"notice":  {run: h.notice, private: true},
		"invite":  {run: h.invite, private: true},
		"group":   {run: h.group, group: true},
	}
	h.commands["overview"] = command{run: h.overview, private: true} // set apart: its long name would realign the map
	h.commands["result"] = command{run: h.result, private: true}
	h.commands["whoami"] = command{run: h.whoami, private: true, public: true}
	h.callbacks = map[string]callback{
		cbOpenTask:        h.onOpenTask,
		cbTasksPage:       h.onTasksPage,
		cbReport:          h.onReportTask,
		cbReportStep:      h.onReportStep,
		cbReplyTask:       h.onReplyTask,
		cbReplyOK:         h.onReplyConfirm,
		cbApprove:         h.onApprove,
		cbReject:          h.onReject,
		cbInvitePick:      h.onInvitePerson,
		cbInviteRole:      h.onInviteRole,
		cbGroup:           h.onGroupToggle,
		cbLang:            h.onLang,
		cbCancel:          h.onCancel,
		cbFollowUp:        h.onFollowUp,
		cbVerifyConfirm:   h.onApproveConfirmed,
		cbBackToCard:      h.onBackToCard,
		cbDeadlineApprove: h.onDeadlineApprove,
		cbDeadlineConfirm: h.onDeadlineConfirm,
		cbDeadlineReject:  h.onDeadlineReject,
		cbEvidence:        h.onEvidence,
		cbStageDone:       h.onStageDone,
		cbOverview:        h.onOverview,
		cbNoticeDoc:       h.onNoticeDoc,

		cbMeasures:     h.onMeasures,
		cbMeasureTick:  h.onMeasureTick,
		cbMeasuresBack: h.onMeasuresBack,
	}
	return h
}

// Handle implements bot.UpdateHandler. It returns an error only when the
// update could not be handled: a passing failure (database or Redis down),
// which the inbox retries and tells the person about once, or an answer
// Telegram refused. Everything else is answered to the user and returns nil.
func (h *Handler) Handle(ctx context.Context, upd *inbound.Update) error {
	switch {
	case upd.Message != nil:
		return h.onMessage(ctx, upd.Message)
	case upd.Callback != nil:
		return h.onCallback(ctx, upd.Callback)
	}
	// Channel posts, edits, membership changes: nothing to do. A channel
	// post has no person behind it, so it never reaches a conversation.
	return nil
}

func (h *Handler) onMessage(ctx context.Context, m *inbound.Message) error {
	if m.From == nil || m.From.IsBot || m.From.ID == GroupAnonymousBot || m.OnBehalfOfChat {
		if m.From != nil && m.From.ID == GroupAnonymousBot && isCommand(m.Text) {
			r := h.anonymous(m)
			return h.say(ctx, r, r.t("anonymous_admin", nil))
		}
		return nil
	}
	r, err := h.newRequest(ctx, m.Chat, m.From)
	if err != nil {
		return err
	}
	r.msg = m
	if m.Forwarded {
		// A forwarded message is someone else's words: never a command,
		// never a report.
		if isCommand(m.Text) && r.private {
			return h.say(ctx, r, r.t("forwarded_ignored", nil))
		}
		return nil
	}
	if name, args, ok := h.parseCommand(m.Text); ok {
		return h.runCommand(ctx, r, name, args)
	}
	if !r.known() {
		return h.refuse(ctx, r)
	}
	if bot, ok := h.otherBotCommand(m.Text); ok {
		return h.notOurCommand(ctx, r, bot)
	}
	if m.ReplyTo != nil && m.ReplyTo.From != nil && m.ReplyTo.From.IsBot {
		return h.onReply(ctx, r, m)
	}
	if r.private {
		return h.onDialogueInput(ctx, r, m)
	}
	return nil // group chatter is not for the bot
}

func (h *Handler) runCommand(ctx context.Context, r *request, name, args string) error {
	cmd, ok := h.commands[name]
	switch {
	case !ok:
		if !r.private {
			return nil // another bot's command in a group
		}
		return h.say(ctx, r, r.t("unknown_command", nil))
	case !cmd.public && !r.known():
		return h.refuse(ctx, r)
	case cmd.private && !r.private:
		return h.say(ctx, r, r.t("private_only", nil))
	case cmd.group && r.private:
		return h.say(ctx, r, r.t("group_only", nil))
	}
	return cmd.run(ctx, r, args)
}

// refuse answers a stranger: politely, with nothing of the ledger, and
// records the attempt.
func (h *Handler) refuse(ctx context.Context, r *request) error {
	h.auditRefusal(ctx, r)
	return h.say(ctx, r, r.t("stranger", nil))
}

// auditRefusal records that someone unknown (or an unregistered group) was
// turned away.
func (h *Handler) auditRefusal(ctx context.Context, r *request) {
	what := "private chat"
	if !r.private {
		what = "group " + r.chatTitle
	}
	if err := h.d.Store.AuditRefusal(ctx, dbmodels.Actor{Label: telegramLabel(r.userID)}, what); err != nil {
		h.d.Log.ErrorContext(ctx, "audit refusal", slog.Any("err", err))
	}
}

// parseCommand reads "/name@bot args". In a group a command addressed to
// another bot is not ours.
func (h *Handler) parseCommand(text string) (name, args string, ok bool) {
	if !isCommand(text) {
		return "", "", false
	}
	head, rest, _ := strings.Cut(strings.TrimSpace(text[1:]), " ")
	name, target, addressed := strings.Cut(head, "@")
	if addressed && !strings.EqualFold(target, h.botUsername()) {
		return "", "", false
	}
	return strings.ToLower(name), strings.TrimSpace(rest), name != ""
}

func (h *Handler) botUsername() string {
	if h.d.BotUsername == nil {
		return ""
	}
	return h.d.BotUsername()
}

func isCommand(text string) bool { return strings.HasPrefix(text, "/") && len(text) > 1 }

func (h *Handler) isConfigAdmin(userID int64) bool { return slices.Contains(h.d.Admins, userID) }

// Package outbound is the project's own shape of a message to send: the
// handlers and the scheduler build these, and the bot's one sender turns
// them into Bot API calls. Nothing here knows the Telegram library.
package outbound

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Button is an inline keyboard button: Data for a callback (≤ 64 bytes,
// ids only) or URL for a link.
type Button struct {
	Text string
	Data string
	URL  string
	// WebApp opens the Mini App at this https URL inside Telegram (private
	// chats only).
	WebApp string
}

// Keyboard is rows of buttons.
type Keyboard [][]Button

// Message is a text message in Telegram HTML.
type Message struct {
	ChatID   int64
	Text     string
	Keyboard Keyboard
	ReplyTo  int // message id to reply to, 0 for none

	// What the delivery record says: why it was sent, to whom, about which
	// tasks (a reply to it is progress on those), and the idempotency key
	// ("" = a fresh random one).
	Kind     Kind
	PersonID *uint
	TaskIDs  []uint
	Key      string

	// Deferrable: when Telegram asks to wait (429), return a
	// *RetryAfterError at once instead of waiting, so a job can be
	// rescheduled rather than hold a worker (the scheduler's sends).
	Deferrable bool
}

// Edit replaces the text and keyboard of a message the bot sent.
type Edit struct {
	ChatID    int64
	MessageID int
	Text      string
	Keyboard  Keyboard
}

// Document is a file to send.
type Document struct {
	ChatID   int64
	FileName string
	Data     []byte
	Caption  string // Telegram HTML, ≤ 1024 characters
	Kind     Kind
	PersonID *uint
}

// StoredFile is a file Telegram already holds (a photo or document someone
// sent the bot), sent again by its file_id.
type StoredFile struct {
	Kind    string // FilePhoto or FileDocument
	FileID  string
	Caption string // Telegram HTML, ≤ 1024 characters; "" for none
}

// Files is evidence to send back. Photos go as albums (2–10 a message; a
// lone photo as a plain photo), documents one message each, in the order
// given. An album whose first photo has no caption repeats the latest
// caption of the photos before it (in the same run of photos), so every
// album says whose photos these are. Every
// message is recorded as a delivery of Kind about TaskIDs, so a reply to
// any of them is progress on those tasks.
type Files struct {
	ChatID   int64
	Files    []StoredFile
	Kind     Kind
	PersonID *uint
	TaskIDs  []uint
}

// FilesRefusedError is SendFiles' error when Telegram refused some files
// (an expired or foreign file_id): the others were sent. It wraps
// ErrRejected, so errors.Is(err, ErrRejected) holds; Files names the ones
// to tell the person about.
type FilesRefusedError struct {
	Files []StoredFile
	Err   error
}

func (e *FilesRefusedError) Error() string {
	return fmt.Sprintf("telegram refused %d of the files: %v", len(e.Files), e.Err)
}

func (e *FilesRefusedError) Unwrap() error { return e.Err }

// Sender is the one way out to Telegram.
type Sender interface {
	Send(ctx context.Context, m Message) (messageID int, err error)
	Edit(ctx context.Context, e Edit) error
	SendDocument(ctx context.Context, d Document) (messageID int, err error)
	// SendFiles sends stored files back by file_id (see Files). It returns
	// the ids of the messages sent, also when err says some were not.
	SendFiles(ctx context.Context, f Files) (messageIDs []int, err error)
	Answer(ctx context.Context, callbackID, text string, alert bool) error
	ChatAction(ctx context.Context, chatID int64, action string) error
}

// ErrUnreachable means the person blocked the bot (Telegram's 403); they are
// marked unreachable and the admins are told in the digest.
var ErrUnreachable = errors.New("the recipient cannot be reached (blocked the bot)")

// ErrRejected means Telegram refused a call as malformed (400 and the
// like): the bot wrote something Telegram does not accept. Sending it again
// would be refused again; it is a bug to log, not a reason to retry.
var ErrRejected = errors.New("telegram refused the request")

// RetryAfterError is Telegram's "too many requests, retry after" for a
// deferrable message.
type RetryAfterError struct{ After time.Duration }

func (e *RetryAfterError) Error() string { return "telegram asks to retry after " + e.After.String() }

// ErrNotModified means an edit changed nothing; callers may ignore it.
var ErrNotModified = errors.New("message not modified")

// Scopes of a command menu (Telegram's BotCommandScope).
const (
	ScopePrivate     = "all_private_chats"
	ScopeGroups      = "all_group_chats"
	ScopeGroupAdmins = "all_chat_administrators"
	ScopeAdminChat   = "chat" // the private chat of a configured admin
)

// Command is one entry of the menu Telegram shows.
type Command struct{ Name, Description string }

// Menu is the command list of one scope in one language ("" = the default,
// for clients in any other language).
type Menu struct {
	Scope    string
	ChatID   int64 // for ScopeAdminChat
	Language string
	Commands []Command
}

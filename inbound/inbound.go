// Package inbound is the project's own shape of what a person sends the
// bot: a message or a button press, with who and where. The bot package
// turns Telegram's updates into these; the conversations (handlers) read
// only these, so they know nothing of the Telegram library and another
// chat platform could feed them too (as tg-spam's core works on its own
// message types).
package inbound

// Update is one thing a person did: a message or a press. Anything else
// (channel posts, edits, membership changes) has neither.
type Update struct {
	ID       int64
	Message  *Message
	Callback *Callback
}

// ChatType is the kind of chat a message is in.
type ChatType string

// The chat types the bot tells apart.
const (
	ChatPrivate    ChatType = "private"
	ChatGroup      ChatType = "group"
	ChatSupergroup ChatType = "supergroup"
	ChatChannel    ChatType = "channel"
)

// Chat is where a message was sent.
type Chat struct {
	ID    int64
	Type  ChatType
	Title string
}

// Private reports whether the chat is a person's private chat with the bot.
func (c Chat) Private() bool { return c.Type == ChatPrivate }

// User is who sent a message or pressed a button.
type User struct {
	ID           int64
	IsBot        bool
	FirstName    string
	LanguageCode string // the client's language, "" when not given
}

// File is a photo or document the person sent, as the platform holds it.
type File struct {
	FileID       string
	FileUniqueID string
	FileName     string // documents only
	MIMEType     string
	Size         int64
	Width        int // photos only
	Height       int
}

// Message is a message in a chat.
type Message struct {
	ID   int
	Chat Chat
	From *User // nil for a channel's post
	// OnBehalfOfChat: sent in the name of a chat (an anonymous group
	// admin, a linked channel), not by a person.
	OnBehalfOfChat bool
	Forwarded      bool // someone else's words, passed on
	Text           string
	Caption        string
	MediaGroupID   string // the album a photo belongs to
	Photo          *File  // the largest size of a photo
	Document       *File
	ReplyTo        *Message // the message this one answers, if any
}

// Callback is a press of an inline button.
type Callback struct {
	ID      string
	From    User
	Message *Message // the message the button is on; nil when too old to see
	Data    string
}

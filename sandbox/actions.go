package sandbox

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/internal/tgfake"
)

// attachment is a file a persona sends.
type attachment struct {
	name, mime string
	data       []byte
	photo      bool
}

// send is a persona writing text in a chat, optionally replying.
func (w *world) send(ctx context.Context, key string, chat int64, replyTo int, text string) error {
	p, err := w.actor(key, chat, replyTo)
	if err != nil {
		return err
	}
	switch text = strings.TrimSpace(text); {
	case text == "":
		return bad("text: nothing to send")
	case utf8.RuneCountInString(text) > maxTextRunes:
		return bad("text: at most %d characters", maxTextRunes)
	}
	return w.deliver(ctx, p, nil, func() *tgfake.Update { return w.fake.Reply(p.UserID, chat, replyTo, text) })
}

// attach is a persona sending a photo or a document.
func (w *world) attach(ctx context.Context, key string, chat int64, replyTo int, caption string, a attachment) error {
	p, err := w.actor(key, chat, replyTo)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(caption) > 1024 {
		return bad("caption: at most 1024 characters")
	}
	if len(a.data) == 0 {
		return bad("file: empty")
	}
	return w.deliver(ctx, p, &a, func() *tgfake.Update {
		if a.photo {
			// The emulator makes the thumbnail itself, and serves the
			// picture as sent wherever the bot downloads it (the Mini
			// App's evidence); the bot keeps only its file id.
			return w.fake.ReplyPhotoData(p.UserID, chat, replyTo, caption, a.data)
		}
		return w.fake.Upload(p.UserID, chat, replyTo, a.name, a.mime, a.data, caption)
	})
}

// press is a persona pressing an inline button on a bot message; it returns
// the bot's callback answer (the toast a client shows), if any.
func (w *world) press(ctx context.Context, key string, chat int64, messageID int, data string) (string, error) {
	p, err := w.actor(key, chat, 0)
	if err != nil {
		return "", err
	}
	if data == "" {
		return "", bad("data: the button's callback data is needed")
	}
	if !w.liveBotMessage(chat, messageID) {
		return "", notFound("message %d: no such bot message in chat %d (deleted?)", messageID, chat)
	}
	var query string
	err = w.deliver(ctx, p, nil, func() *tgfake.Update {
		u := w.fake.Press(p.UserID, chat, messageID, data)
		query = u.CallbackQuery.ID
		return u
	})
	if err != nil {
		return "", err
	}
	answers := w.fake.CallbackAnswers()
	for i := len(answers) - 1; i >= 0; i-- {
		if answers[i].QueryID == query {
			return answers[i].Text, nil
		}
	}
	return "", nil
}

// actor checks that the persona exists and may write in the chat, and that
// a message replied to exists there (the emulator's helpers panic on an
// impossible scenario: they were written for tests).
func (w *world) actor(key string, chat int64, replyTo int) (Persona, error) {
	p, ok := personaByKey(key)
	if !ok {
		return Persona{}, bad("persona: unknown %q", key)
	}
	if !p.mayAct(chat) {
		return Persona{}, bad("persona %s cannot write in chat %d", key, chat)
	}
	if replyTo != 0 && !w.liveBotMessage(chat, replyTo) && !w.userMessage(chat, replyTo) {
		return Persona{}, notFound("replyTo: no message %d in chat %d", replyTo, chat)
	}
	return p, nil
}

func (w *world) liveBotMessage(chat int64, id int) bool {
	for _, m := range w.fake.Messages(chat) {
		if m.MessageID == id {
			return !m.Deleted
		}
	}
	return false
}

func (w *world) userMessage(chat int64, id int) bool {
	for _, m := range w.users[chat] {
		if m.msg.ID == id {
			return true
		}
	}
	return false
}

// deliver makes the update, keeps the persona's message (and file a, if
// any) for the page, and
// waits for the bot to answer it if Telegram would deliver it: in a group,
// privacy mode holds back what is no command, reply or mention of the bot,
// and the emulator queues only what it would deliver. The bot fetches a
// queued update by its own long polling and handles it from the inbox, as
// serve does; deliver returns once it is handled, so the page shows the
// answer.
func (w *world) deliver(ctx context.Context, p Persona, a *attachment, mk func() *tgfake.Update) (err error) {
	var u *tgfake.Update
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = bad("the emulator refused: %v", r)
			}
		}()
		u = mk()
	}()
	if err != nil {
		return err
	}
	if m := u.Message; m != nil {
		w.users[m.Chat.ID] = append(w.users[m.Chat.ID], userMsg{msg: *m, from: p.Key, file: a})
		w.keepUpload(m, a)
	}
	if w.fake.Withheld(u.ID) {
		return nil
	}
	return w.await(ctx, u.ID)
}

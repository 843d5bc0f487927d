package sandbox

import (
	"context"
	"html"
	"slices"
	"time"

	"github.com/rectibot/rectibot/internal/tgfake"
)

// The JSON of GET /api/state and GET /api/chat (the contract's shapes).
type (
	stateView struct {
		Now      string        `json:"now"`
		NowText  string        `json:"nowText"`
		Personas []Persona     `json:"personas"`
		Chats    []chatView    `json:"chats"`
		Commands []commandView `json:"commands"`
		// Menus is each persona's own private-chat menu (by key), and
		// GroupCommands the group's: the page shows the one of the chat
		// open. Commands is the menu of a private chat with no menu of its
		// own.
		Menus         map[string][]commandView `json:"menus"`
		GroupCommands []commandView            `json:"groupCommands"`
		// MenuButton is the button beside a private chat's input: the
		// Mini App (web_app) when the bot set one.
		MenuButton menuButtonView `json:"menuButton"`
		NextJobs   []jobView      `json:"nextJobs"`
		Deliveries []deliveryView `json:"deliveries"`
	}
	chatView struct {
		ID      int64  `json:"id"`
		Title   string `json:"title"`
		Kind    string `json:"kind"`
		Persona string `json:"persona"`
		// Members are the group's personas (keys); a private chat has none.
		Members []string `json:"members,omitempty"`
	}
	commandView struct {
		Command     string `json:"command"`
		Description string `json:"description"`
	}
	messageView struct {
		ID       int            `json:"id"`
		From     string         `json:"from"`
		HTML     string         `json:"html"`
		ReplyTo  int            `json:"replyTo"`
		Buttons  [][]buttonView `json:"buttons"`
		Document *documentView  `json:"document"`
		Photo    bool           `json:"photo"`
		FileURL  string         `json:"fileUrl,omitempty"` // the photo or document (GET /api/file)
		Edited   bool           `json:"edited"`
		Deleted  bool           `json:"deleted"`
		At       string         `json:"at"`
	}
	buttonView struct {
		Text string `json:"text"`
		Data string `json:"data"`
		URL  string `json:"url,omitempty"` // a link button has no data
		// WebApp is a Mini App button's address (the page opens the Mini
		// App from /api/miniapp instead).
		WebApp string `json:"webApp,omitempty"`
	}
	documentView struct {
		Name string `json:"name"`
		Size int64  `json:"size"`
	}
)

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

func (w *world) state(ctx context.Context) (stateView, error) {
	// To the minute: within it the clock may have stepped a few seconds
	// on for River (see settle), which the page does not show.
	now := w.clock.Now().Truncate(time.Minute).In(w.loc)
	st := stateView{
		Now:      now.Format(time.RFC3339),
		NowText:  now.Format("2006-01-02 15:04 ") + weekdays[now.Weekday()],
		Personas: personas,
	}
	for _, p := range personas {
		st.Chats = append(st.Chats, chatView{ID: p.UserID, Title: p.Name, Kind: "private", Persona: p.Key})
	}
	st.Chats = append(st.Chats, chatView{ID: groupID, Title: groupTitle, Kind: "group", Members: groupMembers()})
	st.Commands = w.menu("all_private_chats")
	st.Menus = w.personaMenus()
	st.GroupCommands = w.menu("all_group_chats")
	st.MenuButton = w.menuButton()
	var err error
	if st.NextJobs, err = w.nextJobs(ctx, now); err != nil {
		return st, err
	}
	st.Deliveries, err = w.deliveries(ctx)
	return st, err
}

// chat is a chat as its members see it now: the bot's messages from the
// emulator (edits applied, deletions marked) and the personas' own, in the
// chat's one id sequence.
func (w *world) chat(id int64, persona string) (map[string][]messageView, error) {
	if id != groupID {
		if _, ok := personaByID(id); !ok {
			return nil, notFound("chat %d: no such chat", id)
		}
	}
	if persona != "" {
		p, ok := personaByKey(persona)
		if !ok {
			return nil, bad("persona: unknown %q", persona)
		}
		if !p.mayAct(id) {
			return nil, bad("persona %s is not in chat %d", persona, id)
		}
	}
	out := []messageView{}
	for _, m := range w.fake.Messages(id) {
		out = append(out, botMessage(m, w.loc))
	}
	for _, m := range w.users[id] {
		out = append(out, userMessage(m, w.loc))
	}
	slices.SortFunc(out, func(a, b messageView) int { return a.ID - b.ID })
	return map[string][]messageView{"messages": out}, nil
}

func botMessage(m tgfake.Sent, loc *time.Location) messageView {
	v := messageView{ID: m.MessageID, From: "bot", HTML: m.Raw, ReplyTo: m.ReplyTo, Buttons: [][]buttonView{},
		Photo: m.Photo != nil, Edited: m.Edits > 0, Deleted: m.Deleted, At: m.At.In(loc).Format(time.RFC3339)}
	if m.ParseMode != "HTML" {
		v.HTML = html.EscapeString(m.Raw)
	}
	if m.Document != nil {
		v.Document = &documentView{Name: m.Document.Name, Size: m.Document.Size}
	}
	if (m.Document != nil || m.Photo != nil) && !m.Deleted {
		v.FileURL = fileURL(m.ChatID, m.MessageID)
	}
	if m.Markup != nil {
		for _, row := range m.Markup.InlineKeyboard {
			r := make([]buttonView, 0, len(row))
			for _, b := range row {
				v := buttonView{Text: b.Text, Data: b.CallbackData, URL: b.URL}
				if b.WebApp != nil {
					v.WebApp = b.WebApp.URL
				}
				r = append(r, v)
			}
			v.Buttons = append(v.Buttons, r)
		}
	}
	return v
}

func userMessage(u userMsg, loc *time.Location) messageView {
	m := u.msg
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	v := messageView{ID: m.ID, From: u.from, HTML: html.EscapeString(text), Buttons: [][]buttonView{},
		Photo: len(m.Photo) > 0, At: time.Unix(int64(m.Date), 0).In(loc).Format(time.RFC3339)}
	if m.ReplyToMessage != nil {
		v.ReplyTo = m.ReplyToMessage.ID
	}
	if m.Document != nil {
		v.Document = &documentView{Name: m.Document.FileName, Size: m.Document.FileSize}
	}
	if u.file != nil {
		v.FileURL = fileURL(m.Chat.ID, m.ID)
	}
	return v
}

package tgfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// maxAlbum is Telegram's most items in one sendMediaGroup.
const maxAlbum = 10

// inputMedia is one item of sendMediaGroup's media array.
type inputMedia struct {
	Type            string          `json:"type"`
	Media           string          `json:"media"`
	Caption         string          `json:"caption"`
	ParseMode       string          `json:"parse_mode"`
	CaptionEntities json.RawMessage `json:"caption_entities"`
}

// albumItem is an item checked as far as it can be without the lock.
type albumItem struct {
	kind    string
	in      input
	caption formatted
}

// sendMediaGroup sends 2–10 photos, or documents, as one album: every item
// is checked before anything is sent, and the reply is the array of the
// messages, sharing one media_group_id. Telegram documents 2–10 items; the
// real server sends a single item as an ordinary message, but the fake
// holds the bot to the documented contract. reply_markup is not a
// parameter of the method and is ignored, as by Telegram.
func (s *Server) sendMediaGroup(_ *http.Request, p *params) (any, *apiError) {
	items, aerr := parseAlbum(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.chatLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	replyTo, aerr := s.replyLocked(c, p)
	if aerr != nil {
		return nil, aerr
	}
	files := make([]*File, len(items))
	for i, it := range items {
		if it.in.up != nil {
			continue
		}
		if files[i], aerr = s.existingLocked(it.in, it.kind); aerr != nil {
			if s.files[it.in.fileID] == nil {
				// Telegram finds an unknown file_id only when it sends the
				// item, and names the item that failed.
				return nil, badRequest("failed to send message #%d with the error message \"%s\"",
					i+1, capitalize(strings.TrimPrefix(aerr.Desc, "Bad Request: ")))
			}
			return nil, aerr
		}
	}
	now := s.clock.Now()
	if aerr := s.faultLocked(c.c.ID, now); aerr != nil {
		return nil, aerr
	}
	if wait, ok := s.rate.allow(s.limits, now, c.c.ID, c.isGroup()); !ok {
		return nil, tooMany(retryAfter(wait))
	}
	s.chargeAlbumLocked(now, c, len(items)-1)
	s.seq++
	groupID := fmt.Sprint(13_000_000_000_000_000 + s.seq)
	out := make([]json.RawMessage, 0, len(items))
	for i, it := range items {
		f := files[i]
		if f == nil {
			f = s.registerLocked(it.in, it.kind)
		}
		cp := *f
		c.lastID++
		me := s.me
		msg := models.Message{ID: c.lastID, From: &me, Date: int(now.Unix()), Chat: c.c,
			MediaGroupID: groupID, Caption: it.caption.text, CaptionEntities: it.caption.entities}
		snt := &Sent{Method: "sendMediaGroup", ChatID: c.c.ID, MessageID: c.lastID, At: now,
			MediaGroupID: groupID, Caption: it.caption.text, Raw: it.caption.raw,
			ParseMode: it.caption.mode, Entities: it.caption.entities}
		if replyTo != nil {
			msg.ReplyToMessage = replyCopy(replyTo)
			snt.ReplyTo = replyTo.msg.ID
		}
		if it.kind == "photo" {
			msg.Photo = []models.PhotoSize{{FileID: cp.FileID, FileUniqueID: cp.FileUniqueID,
				Width: cp.Width, Height: cp.Height, FileSize: int(cp.Size)}}
			snt.Photo = &cp
		} else {
			msg.Document = &models.Document{FileID: cp.FileID, FileUniqueID: cp.FileUniqueID,
				FileName: cp.Name, MimeType: cp.MIME, FileSize: cp.Size}
			snt.Document = &cp
		}
		c.add(&record{msg: msg, sent: snt})
		s.sentTotal++
		out = append(out, json.RawMessage(mustJSON(&msg)))
	}
	s.sentCond.Broadcast()
	return out, nil
}

// parseAlbum checks the media array: its size, the item types and how they
// mix, each file (uploads decoded as photos) and caption.
func parseAlbum(p *params) ([]albumItem, *apiError) {
	raw := strings.TrimSpace(p.str("media"))
	if raw == "" {
		return nil, badRequest("parameter \"media\" is required")
	}
	var list []json.RawMessage
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		if json.Valid([]byte(raw)) {
			return nil, badRequest("expected an Array of InputMedia")
		}
		return nil, badRequest("can't parse media JSON object")
	}
	switch {
	case len(list) == 0:
		return nil, badRequest("there are no messages to send")
	case len(list) > maxAlbum:
		return nil, badRequest("too many messages to send as an album")
	case len(list) == 1:
		return nil, badRequest("tgfake: media must include 2-10 items, as the Bot API documents; send one file by sendPhoto or sendDocument")
	}
	media := make([]inputMedia, len(list))
	kinds := map[string]bool{}
	for i, r := range list {
		if err := json.Unmarshal(r, &media[i]); err != nil {
			return nil, badRequest("can't parse InputMedia JSON object")
		}
		switch t := media[i].Type; t {
		case "photo", "video", "document", "audio":
			kinds[t] = true
		case "animation":
			return nil, badRequest("can't parse InputMedia: type \"animation\" can't be used in sendMediaGroup")
		default:
			return nil, badRequest("can't parse InputMedia: type \"%s\" is unsupported", t)
		}
	}
	for _, k := range []string{"document", "audio"} {
		if kinds[k] && len(kinds) > 1 {
			return nil, badRequest("%s can't be mixed with other media types", k)
		}
	}
	if kinds["video"] || kinds["audio"] {
		return nil, badRequest("tgfake: video and audio are not implemented in sendMediaGroup")
	}
	items := make([]albumItem, len(media))
	for i, m := range media {
		it, aerr := parseAlbumItem(p, m)
		if aerr != nil {
			return nil, aerr
		}
		items[i] = it
	}
	return items, nil
}

func parseAlbumItem(p *params, m inputMedia) (albumItem, *apiError) {
	it := albumItem{kind: m.Type}
	// The item's media read as a send's own field: a file_id, or an upload
	// the multipart body carries under the name attach:// gives.
	sub := &params{vals: map[string]string{"media": m.Media}, files: map[string]upload{}}
	if name, ok := strings.CutPrefix(m.Media, "attach://"); ok {
		up, ok := p.files[name]
		if !ok {
			return it, badRequest("can't parse InputMedia: media not found")
		}
		sub.files[name] = up
	} else if strings.TrimSpace(m.Media) == "" {
		return it, badRequest("can't parse InputMedia: media not found")
	}
	var aerr *apiError
	if it.in, aerr = readInput(sub, "media", m.Type); aerr != nil {
		return it, aerr
	}
	capt := &params{vals: map[string]string{"caption": m.Caption, "parse_mode": m.ParseMode}}
	if e := strings.TrimSpace(string(m.CaptionEntities)); e != "" && e != "null" {
		capt.vals["caption_entities"] = e
	}
	it.caption, aerr = parseFormatted(capt, "caption", "caption_entities", true)
	return it, aerr
}

// chargeAlbumLocked counts an album's other items against the flood
// limits once its first was allowed: Telegram counts an album as that many
// messages (bots sending albums meet 429s sooner), yet lets a 10-photo
// album into a private chat whose burst is 3. The chat's next send waits
// for them.
func (s *Server) chargeAlbumLocked(now time.Time, c *chat, extra int) {
	if s.limits.Unlimited || extra <= 0 {
		return
	}
	l := s.rate
	for range extra {
		l.global = append(l.global, now)
	}
	if c.isGroup() {
		for range extra {
			l.groups[c.c.ID] = append(l.groups[c.c.ID], now)
		}
		return
	}
	l.private[c.c.ID] = l.private[c.c.ID].Add(time.Duration(extra) * s.limits.PrivateEvery)
}

// capitalize is Telegram's spelling of an item's error inside "failed to
// send message #N with the error message …".
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

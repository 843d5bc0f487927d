package tgfake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"
)

const (
	conflictPoll    = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	conflictSetHook = "Conflict: terminated by setWebhook request"
	conflictHook    = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)

// queued is an update waiting to be confirmed, kept as the JSON sent, so
// nothing a test does to a returned *models.Update can alter it.
type queued struct {
	id   int64
	kind string // "message", "callback_query", ... for allowed_updates
	raw  json.RawMessage
}

// poller is a getUpdates call waiting for updates.
type poller struct {
	done     chan struct{}
	conflict string // why it was cut short; "" when the server closes
}

func (p *poller) abort(conflict string) {
	p.conflict = conflict
	close(p.done)
}

func (s *Server) getUpdates(r *http.Request, p *params) (any, *apiError) {
	offset, aerr := p.int("offset")
	if aerr != nil {
		return nil, aerr
	}
	limit, aerr := p.int("limit")
	if aerr != nil {
		return nil, aerr
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, aerr := p.int("timeout")
	if aerr != nil {
		return nil, aerr
	}
	allowed, aerr := allowedUpdates(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook.URL != "" {
		return nil, &apiError{Code: 409, Desc: conflictHook}
	}
	if allowed != nil {
		s.allowed = allowed
	}
	s.confirmLocked(offset)
	ups := s.batchLocked(int(limit))
	if len(ups) > 0 || timeout <= 0 || s.closed {
		return ups, nil
	}
	// Telegram keeps one long poll per bot: a newer one ends the older
	// with 409, so two instances keep knocking each other out.
	if s.poll != nil {
		s.poll.abort(conflictPoll)
	}
	me := &poller{done: make(chan struct{})}
	s.poll = me
	defer func() {
		if s.poll == me {
			s.poll = nil
		}
	}()
	t := time.NewTimer(time.Duration(timeout) * time.Second)
	defer t.Stop()
	// Wait until an update this poll may return arrives (one that
	// allowed_updates drops does not end it), the timeout passes, the
	// client goes away, or a newer poll or setWebhook cuts it short.
	for len(ups) == 0 {
		signal := s.signal
		s.mu.Unlock()
		var ended bool
		select {
		case <-signal:
		case <-t.C:
			ended = true
		case <-r.Context().Done():
			ended = true
		case <-me.done:
			ended = true
		}
		s.mu.Lock()
		select {
		case <-me.done:
			if me.conflict != "" {
				return nil, &apiError{Code: 409, Desc: me.conflict}
			}
		default:
		}
		ups = s.batchLocked(int(limit))
		if ended {
			break
		}
	}
	return ups, nil
}

func allowedUpdates(p *params) ([]string, *apiError) {
	raw := p.str("allowed_updates")
	if raw == "" {
		return nil, nil
	}
	list := []string{}
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return nil, badRequest("can't parse allowed updates JSON array")
	}
	return list, nil
}

// confirmLocked forgets updates as an offset confirms them: a positive
// offset confirms every update below it, a negative one keeps only the
// last -offset updates.
func (s *Server) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].id < offset {
			i++
		}
		s.queue = s.queue[i:]
	case offset < 0 && int(-offset) < len(s.queue):
		s.queue = s.queue[len(s.queue)-int(-offset):]
	}
}

// batchLocked returns up to limit pending updates, dropping those of kinds
// allowed_updates excludes (Telegram never delivers them).
func (s *Server) batchLocked(limit int) []json.RawMessage {
	out := make([]json.RawMessage, 0, min(limit, len(s.queue)))
	kept := s.queue[:0]
	for _, q := range s.queue {
		if len(s.allowed) > 0 && !slices.Contains(s.allowed, q.kind) {
			continue
		}
		kept = append(kept, q)
		if len(out) < limit {
			out = append(out, q.raw)
		}
	}
	s.queue = kept
	return out
}

// Webhook is the webhook registration the bot made (the fake records it;
// it does not deliver to it).
type Webhook struct {
	URL            string
	SecretToken    string
	MaxConnections int
	AllowedUpdates []string
	// LastErrorAt and LastError are Telegram's latest failure to deliver
	// to the webhook, as getWebhookInfo reports them; a test sets them
	// with SetWebhook.
	LastErrorAt time.Time
	LastError   string
}

// SetWebhook registers w as if the bot had called setWebhook and Telegram
// had since failed to deliver to it (LastError), for tests of what an
// operator is told.
func (s *Server) SetWebhook(w Webhook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = w
}

var secretTokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(r *http.Request, p *params) (any, *apiError) {
	raw := p.str("url")
	if raw == "" {
		return s.deleteWebhook(r, p)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "":
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	case !slices.Contains([]string{"", "443", "80", "88", "8443"}, u.Port()):
		return nil, badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
	}
	secret := p.str("secret_token")
	if secret != "" && !secretTokenRE.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	maxConn, aerr := p.int("max_connections")
	if aerr != nil {
		return nil, aerr
	}
	if maxConn == 0 {
		maxConn = 40
	}
	if maxConn < 1 || maxConn > 100 {
		return nil, badRequest("bad webhook: max_connections must be between 1 and 100")
	}
	allowed, aerr := allowedUpdates(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.poll != nil {
		s.poll.abort(conflictSetHook)
		s.poll = nil
	}
	if p.bool("drop_pending_updates") {
		s.queue = nil
	}
	if allowed != nil {
		s.allowed = allowed
	}
	desc := "Webhook was set"
	if s.webhook.URL == raw {
		desc = "Webhook is already set"
	}
	s.webhook = Webhook{URL: raw, SecretToken: secret, MaxConnections: int(maxConn), AllowedUpdates: allowed}
	return okDesc{true, desc}, nil
}

func (s *Server) deleteWebhook(_ *http.Request, p *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.queue = nil
	}
	desc := "Webhook is already deleted"
	if s.webhook.URL != "" {
		desc = "Webhook was deleted"
	}
	s.webhook = Webhook{}
	return okDesc{true, desc}, nil
}

func (s *Server) getWebhookInfo(_ *http.Request, _ *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := models.WebhookInfo{URL: s.webhook.URL, PendingUpdateCount: len(s.queue),
		MaxConnections: s.webhook.MaxConnections, AllowedUpdates: s.webhook.AllowedUpdates}
	if info.URL != "" {
		info.IPAddress = "127.0.0.1"
	}
	if !s.webhook.LastErrorAt.IsZero() {
		info.LastErrorDate, info.LastErrorMessage = int(s.webhook.LastErrorAt.Unix()), s.webhook.LastError
	}
	return info, nil
}

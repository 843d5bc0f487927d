package bot

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"
)

func postUpdate(t *testing.T, h http.Handler, secret string, u *models.Update) int {
	t.Helper()
	body, _ := json.Marshal(u)
	req := httptest.NewRequest(http.MethodPost, WebhookPath, bytes.NewReader(body))
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

func webhookFor(t *testing.T, rec *recorder) http.Handler {
	t.Helper()
	e := newEdge(t, tgfakeNoLimits, generous)
	e.bot.Attach(rec, nil, NewMemoryDeduper(clockSystem))
	return e.bot.HTTPHandler()
}

func TestWebhookRefusesAWrongSecretAndHandlesNothing(t *testing.T) {
	rec := newRecorder()
	h := webhookFor(t, rec)
	for _, secret := range []string{"", "wrong", "s3cret "} {
		if code := postUpdate(t, h, secret, msgUpdate(1, 1)); code != http.StatusUnauthorized {
			t.Errorf("secret %q: %d, want 401", secret, code)
		}
	}
	if len(rec.handled) != 0 {
		t.Errorf("handled %v with a wrong secret", rec.handled)
	}
}

func TestWebhookAnswers200OnlyAfterHandlingAndOnceForARedelivery(t *testing.T) {
	rec := newRecorder()
	rec.fail[3] = 1 // the database is down the first time
	h := webhookFor(t, rec)
	if code := postUpdate(t, h, "s3cret", msgUpdate(3, 1)); code != http.StatusServiceUnavailable {
		t.Fatalf("failed handling answered %d, want 503 so Telegram sends it again", code)
	}
	for range 2 { // Telegram's redelivery, then a duplicate of it
		if code := postUpdate(t, h, "s3cret", msgUpdate(3, 1)); code != http.StatusOK {
			t.Fatalf("redelivery answered %d", code)
		}
	}
	if len(rec.handled) != 1 {
		t.Errorf("handled %v, want update 3 exactly once", rec.handled)
	}
}

func TestWebhookRefusesWhatIsNotAnUpdate(t *testing.T) {
	rec := newRecorder()
	h := webhookFor(t, rec)
	for _, body := range []string{"", "{", `{"update_id":0}`, strings.Repeat("x", 2<<20)} {
		req := httptest.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusBadRequest {
			t.Errorf("body %.20q: %d, want 400", body, w.Code)
		}
	}
	req := httptest.NewRequest(http.MethodGet, WebhookPath, nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", w.Code)
	}
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	rec := newRecorder()
	e := newEdge(t, tgfakeNoLimits, generous)
	down := true
	e.bot.opts.Ready = map[string]func(ctxT) error{"database": func(ctxT) error { return nil },
		"redis": func(ctxT) error {
			if down {
				return errTransient
			}
			return nil
		}}
	e.bot.Attach(rec, nil, NewMemoryDeduper(clockSystem))
	h := e.bot.HTTPHandler()
	get := func(path string) (int, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w.Code, w.Body.String()
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("healthz %d", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, `"redis":"unreachable"`) {
		t.Errorf("readyz with Redis down: %d %s", code, body)
	}
	down = false
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("readyz: %d", code)
	}
	postUpdate(t, h, "s3cret", msgUpdate(11, 1))
	if _, body := get("/metrics"); !strings.Contains(body, `rectibot_updates_total{outcome="ok",type="message"} 1`) ||
		!strings.Contains(body, "rectibot_handler_seconds_bucket") {
		t.Errorf("metrics lack the update counter or latency:\n%.2000s", body)
	}
}

package miniapp_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/miniapp"
)

// telegramFiles stands for the bot's download: the files Telegram holds,
// by file id.
type telegramFiles map[string][]byte

func (f telegramFiles) FetchFile(_ context.Context, id string) (io.ReadCloser, string, error) {
	b, ok := f[id]
	if !ok {
		return nil, "", miniapp.ErrFileGone
	}
	// Telegram's download answers octet-stream; the ledger knows better.
	return io.NopCloser(bytes.NewReader(b)), "application/octet-stream", nil
}

// TestEvidenceIsStreamedToThoseWhoMaySeeTheTask: 刘洋's photo on 8(2)
// reaches 政治部主任's page as an image from rectibot itself; another
// department's leader and a stranger get nothing of it, and a file
// Telegram no longer has is a plain 404.
func TestEvidenceIsStreamedToThoseWhoMaySeeTheTask(t *testing.T) {
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("photo"), 100)...)
	files := telegramFiles{"AgAD-photo": jpeg}
	h := newHarnessWith(t, func(d *miniapp.Deps) { d.Files = files })
	h.linkEveryone()
	politTask, _, _ := h.history()

	type evidencePage struct {
		Progress []struct {
			Evidence []struct {
				ID  uint   `json:"id"`
				URL string `json:"url"`
			} `json:"evidence"`
		} `json:"progress"`
	}
	task := getJSON[evidencePage](h, politLeadID, fmt.Sprintf("tasks/%d", politTask))
	if len(task.Progress) == 0 || len(task.Progress[0].Evidence) != 1 {
		t.Fatalf("8(2)'s page has no photo: %+v", task)
	}
	ev := task.Progress[0].Evidence[0]
	if ev.URL != fmt.Sprintf("/app/api/evidence/%d", ev.ID) {
		t.Fatalf("the photo's address is %q, not rectibot's own", ev.URL)
	}
	path := strings.TrimPrefix(ev.URL, miniapp.Path+"api/")

	req, _ := http.NewRequestWithContext(h.ctx, http.MethodGet, h.srv.URL+ev.URL, nil)
	req.Header.Set("Authorization", "tma "+h.initData(politLeadID, "zh-hans"))
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, jpeg) || resp.Header.Get("Content-Type") != "image/jpeg" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "private") {
		t.Errorf("the leader's photo: %d, %d bytes, %v", resp.StatusCode, len(body), resp.Header)
	}
	for who, tg := range map[string]int64{"another department's leader": socialLeadID, "a stranger": strangerID, "an officer elsewhere": zhouJieID} {
		status, body := h.get(tg, path)
		if status == http.StatusOK || bytes.Contains(body, []byte("photo")) {
			t.Errorf("%s got the photo: %d", who, status)
		}
	}
	if status, _ := h.call(path, "", nil); status != http.StatusUnauthorized {
		t.Errorf("without initData: %d", status)
	}
	delete(files, "AgAD-photo")
	if status, body := h.get(politLeadID, path); status != http.StatusNotFound || !strings.Contains(string(body), "file_gone") {
		t.Errorf("a file Telegram no longer has: %d %s", status, body)
	}
	if status, _ := h.get(politLeadID, "evidence/999999"); status != http.StatusForbidden {
		t.Errorf("an unknown file: %d, want 403 (nothing said of what exists)", status)
	}
}

package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// maxFetchedFile is Telegram's own limit on what a bot may download.
const maxFetchedFile = 20 << 20

// ErrFileGone is FetchFile's error when Telegram no longer has the file
// (or never gave it to this bot).
var ErrFileGone = errors.New("telegram: file not available")

// FetchFile downloads a file the bot received — getFile, then the download
// link — for the Mini App to stream to a leader. The link carries the bot
// token, so it never leaves this function; errors are redacted.
func (b *Bot) FetchFile(ctx context.Context, fileID string) (io.ReadCloser, string, error) {
	f, err := b.api.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		if errors.Is(err, tgbot.ErrorBadRequest) || errors.Is(err, tgbot.ErrorNotFound) {
			return nil, "", ErrFileGone
		}
		return nil, "", redact(fmt.Errorf("getFile: %w", err), b.token)
	}
	if f.FileSize > maxFetchedFile {
		return nil, "", ErrFileGone
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.api.FileDownloadLink(f), nil)
	if err != nil {
		return nil, "", redact(fmt.Errorf("download: %w", err), b.token)
	}
	resp, err := filesClient.Do(req)
	if err != nil {
		return nil, "", redact(fmt.Errorf("download: %w", err), b.token)
	}
	if resp.StatusCode != http.StatusOK {
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return nil, "", ErrFileGone
		}
		return nil, "", fmt.Errorf("download: Telegram answered %s", resp.Status)
	}
	body := struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, maxFetchedFile), resp.Body}
	return body, resp.Header.Get("Content-Type"), nil
}

// filesClient downloads files: a whole photo within a minute, else give up.
var filesClient = &http.Client{Timeout: time.Minute}

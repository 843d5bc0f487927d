package tgfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// EchoRate is the benchmarks' yardstick: a bare go-telegram/bot echo bot
// (the library's webhook handler, one SendMessage per update) on a fake of
// its own with no flood limits, fed total updates over the webhook from
// chats in parallel. It returns updates per second until every answer was
// sent (the library answers the webhook before handling, so the answers
// are counted, not the 200s).
func EchoRate(ctx context.Context, total, chats int) (float64, error) {
	fake := New(Options{Limits: Limits{Unlimited: true}})
	defer fake.Close()
	for i := range chats {
		fake.AddUser(models.User{ID: int64(7000 + i)})
	}
	echo, err := tgbot.New(fake.Token(), tgbot.WithServerURL(fake.URL()), tgbot.WithSkipGetMe(),
		tgbot.WithDefaultHandler(func(ctx context.Context, bot *tgbot.Bot, u *models.Update) {
			if u.Message != nil {
				_, _ = bot.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: u.Message.Text})
			}
		}))
	if err != nil {
		return 0, fmt.Errorf("echo bot: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go echo.StartWebhook(ctx)
	srv := httptest.NewServer(echo.WebhookHandler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	per := total / chats
	errs := make(chan error, chats)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range chats {
		wg.Go(func() {
			for range per {
				body, _ := json.Marshal(fake.Text(int64(7000+i), "/tasks"))
				resp, err := client.Post(srv.URL, "application/json", bytes.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, fmt.Errorf("echo bot: %w", err)
	}
	wait, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	if err := fake.WaitSent(wait, per*chats); err != nil {
		return 0, fmt.Errorf("echo bot: %w", err)
	}
	return float64(per*chats) / time.Since(start).Seconds(), nil
}

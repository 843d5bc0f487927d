package bot

// BenchmarkEntrance measures the entrance alone: updates per second
// through the webhook, the inbox table and its workers to a handler that
// answers each with one message through the real sender — the same work
// the bare go-telegram/bot echo bot does, measured beside it in the same
// run. The difference between the two is what the inbox costs; the
// handlers' own cost is in handlers' BenchmarkWebhookThroughput. Run on
// PostgreSQL:
//
//	DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test -run '^$' -bench Entrance -benchtime 1x ./bot/

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/internal/tgfake"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/ratelimit"
)

const (
	entranceChats  = 48
	entranceWindow = 4 // updates one chat has on their way at once
	entranceTotal  = 4800
)

func BenchmarkEntrance(b *testing.B) {
	db, _ := testdb.Open(b)
	store := dbmodels.NewStore(db, clock.System{})
	fake := tgfake.New(tgfake.Options{Limits: tgfake.Limits{Unlimited: true}})
	defer fake.Close()
	for i := range entranceChats {
		fake.AddUser(models.User{ID: int64(7000 + i)})
	}
	var mu sync.Mutex
	handled := map[int64]chan struct{}{}
	bot, err := New(Options{Token: fake.Token(), APIURL: fake.URL(), Store: store, Inbox: store,
		Limiter: ratelimit.NewLocal(generous), Log: quiet(), WebhookSecret: "s3cret",
		InboxOptions: InboxOptions{OnDone: func(id int64, _ dbmodels.Outcome) {
			mu.Lock()
			defer mu.Unlock()
			if ch, ok := handled[id]; ok {
				close(ch)
				delete(handled, id)
			}
		}}})
	if err != nil {
		b.Fatal(err)
	}
	echo := handlerFunc(func(ctx context.Context, u *inbound.Update) error {
		_, err := bot.Sender().Send(ctx, outbound.Message{ChatID: u.Message.Chat.ID, Text: u.Message.Text})
		return err
	})
	_, in := bot.Attach(echo, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = in.Run(ctx) }()
	srv := httptest.NewServer(bot.HTTPHandler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	post := func(url string, u *models.Update) {
		body, _ := json.Marshal(u)
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("webhook answered %d", resp.StatusCode)
		}
	}

	var rate, echoRate float64
	for b.Loop() {
		start := time.Now()
		var wg sync.WaitGroup
		for i := range entranceChats {
			wg.Go(func() {
				var inFlight []chan struct{}
				for range entranceTotal / entranceChats {
					if len(inFlight) == entranceWindow {
						<-inFlight[0]
						inFlight = inFlight[1:]
					}
					u := fake.Text(int64(7000+i), "hello")
					ch := make(chan struct{})
					mu.Lock()
					handled[u.ID] = ch
					mu.Unlock()
					post(srv.URL+WebhookPath, u)
					inFlight = append(inFlight, ch)
				}
				for _, ch := range inFlight {
					<-ch
				}
			})
		}
		wg.Wait()
		rate = float64(entranceTotal) / time.Since(start).Seconds()
		if echoRate, err = tgfake.EchoRate(ctx, entranceTotal, entranceChats); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(rate, "updates/s")
	b.ReportMetric(echoRate, "echo_updates/s")
	b.ReportMetric(rate/echoRate, "ratio_to_echo")
	b.Logf("entrance (webhook → inbox → worker → one message): %.0f updates/s; echo bot %.0f updates/s; ratio %.2f; database %s",
		rate, echoRate, rate/echoRate, testdb.Kind())
}

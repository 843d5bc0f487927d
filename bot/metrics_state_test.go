package bot

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// A database that does not answer within the scrape's budget shows as
// rectibot_state_query_success 0 and a failing readiness check as 0, and
// the rest of the scrape still comes: the alerts see the cause instead of
// a target that cannot be scraped.
func TestAScrapeSaysWhenTheStateCannotBeRead(t *testing.T) {
	e := newInboxEnv(t, envOpts{set: func(o *Options) {
		o.Ready = map[string]func(context.Context) error{
			"database": func(context.Context) error { return errTransient },
			"redis":    func(context.Context) error { return nil },
		}
		o.State = func(ctx context.Context) (State, error) {
			if d, ok := ctx.Deadline(); !ok || time.Until(d) > stateTimeout {
				return State{FailedUpdates: 99}, nil // shows as read: the test fails
			}
			return State{}, context.DeadlineExceeded // the database did not answer in time
		}
	}})
	srv := e.webhook()
	resp, err := srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body := string(raw)
	for _, want := range []string{"rectibot_state_query_success 0\n", `rectibot_ready{check="database"} 0` + "\n",
		`rectibot_ready{check="redis"} 1` + "\n", "go_goroutines "} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "rectibot_inbox_failed_updates ") {
		t.Errorf("a state series shown though the state was not read:\n%s", body)
	}
}

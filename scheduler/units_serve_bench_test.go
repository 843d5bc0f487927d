package scheduler_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/testdb"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// rectibotBinary builds ./cmd/rectibot once per test binary (the build
// cache makes it a link step when the cmd tests built it already).
func rectibotBinary(b *testing.B) string {
	b.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rectibot-bench-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "rectibot")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "build", "-o", binPath, "github.com/rectibot/rectibot/cmd/rectibot").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		b.Fatal(binErr)
	}
	b.Cleanup(func() { _ = os.RemoveAll(filepath.Dir(binPath)) })
	return binPath
}

type serveFigures struct {
	ready      time.Duration // start → /readyz answers 200 (updates taken)
	reconciled time.Duration // start → its background Reconcile logged "reminders planned"
	maxRSSMB   float64       // ru_maxrss at exit, over the whole run
	menus      int           // setMyCommands calls by the time Reconcile ended
}

func (s serveFigures) print(units int) {
	say("%s, %d units: serve ready in %.2f s (target ≤ %.0f s: %.1f×); every task planned %.1f s after start; "+
		"peak resident memory %.0f MB (target < %.0f MB: %.1f×); %d setMyCommands calls by then (three per linked person)",
		testdb.Kind(), units, s.ready.Seconds(), targetReadySeconds, targetReadySeconds/s.ready.Seconds(), s.reconciled.Seconds(),
		s.maxRSSMB, targetMaxRSSMB, targetMaxRSSMB/s.maxRSSMB, s.menus)
}

// startServe runs `rectibot serve` on the world until its background
// Reconcile has planned every task, then stops it with SIGTERM. The send
// window (09:00–10:00) is closed now, so it plans and sends nothing today;
// the jobs it planned (tomorrow's) are removed afterwards for the burst.
func startServe(b *testing.B, bin string, w *unitsWorld) serveFigures {
	b.Helper()
	dbURL := w.loc.DSN
	if w.loc.Dialect == dburl.SQLite {
		dbURL = "sqlite:" + w.loc.Path
	}
	addr := freeAddr(b)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"DATABASE_URL=" + dbURL, "TELEGRAM_BOT_TOKEN=" + w.fake.Token(), "TELEGRAM_API_URL=" + w.fake.URL(),
		"RECTIBOT_HTTP_ADDR=" + addr, "RECTIBOT_WORK_HOURS=09:00-10:00", "RECTIBOT_WORKDAYS=all",
		"RECTIBOT_TIME_ZONE=" + w.zone.String(), "RECTIBOT_LOG_LEVEL=info",
		"RECTIBOT_WEBHOOK_URL=https://bot.example.cn/telegram/webhook", "RECTIBOT_WEBHOOK_SECRET=bench_secret"}
	if r := os.Getenv("REDIS_URL"); r != "" {
		env = append(env, "REDIS_URL="+r)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	out, wr := io.Pipe()
	cmd.Stdout, cmd.Stderr = wr, wr
	planned := make(chan struct{})
	var (
		mu   sync.Mutex
		tail []string
	)
	lastLines := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(tail, "\n")
	}
	go func() { // watch the log for the end of Reconcile; keep its end
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		once := sync.Once{}
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			tail = append(tail[max(0, len(tail)-40):], line)
			mu.Unlock()
			if strings.Contains(line, "reminders planned") {
				once.Do(func() { close(planned) })
			}
		}
		// A line past the buffer ends the scan: keep draining, or serve
		// blocks writing its log and never finishes.
		_, _ = io.Copy(io.Discard, out)
	}()
	began := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); _ = wr.Close() }()
	var s serveFigures
	fail := func(format string, args ...any) {
		b.Helper()
		_ = cmd.Process.Kill()
		<-exited
		b.Fatalf(format+"\n--- serve's log, last lines:\n%s", append(args, lastLines())...)
	}
	client := &http.Client{Timeout: time.Second}
	for s.ready == 0 {
		select {
		case err := <-exited:
			b.Fatalf("serve exited before it was ready: %v\n%s", err, lastLines())
		case <-time.After(5 * time.Millisecond):
		}
		if resp, err := client.Get("http://" + addr + "/readyz"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.ready = time.Since(began)
			}
		}
		if time.Since(began) > 2*time.Minute {
			fail("serve not ready within 2 minutes")
		}
	}
	select {
	case <-planned:
		s.reconciled = time.Since(began)
	case err := <-exited:
		b.Fatalf("serve exited while planning: %v\n%s", err, lastLines())
	case <-time.After(30 * time.Minute):
		fail("serve's Reconcile did not end within 30 minutes")
	}
	s.menus = w.fake.Calls("setMyCommands")
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			b.Fatalf("serve exited with %v after SIGTERM\n%s", err, lastLines())
		}
	case <-time.After(2 * time.Minute):
		fail("serve did not stop within 2 minutes of SIGTERM")
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Fatal("no rusage for the serve process")
	}
	s.maxRSSMB = float64(ru.Maxrss) / 1024 // KB on Linux
	if err := w.db.Exec("DELETE FROM river_job").Error; err != nil {
		b.Fatal(err)
	}
	return s
}

func freeAddr(b *testing.B) string {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
)

// doctorEnv is an installation as an operator has it: a migrated database,
// Redis when the suite has one, and a bot on the strict fake Bot API whose
// username RECTIBOT_BOT_USERNAME names.
type doctorEnv struct {
	*cli
	fake  *tgfake.Server
	clock *clock.Manual
}

const doctorBot = "zhenggai_bot"

func newDoctorEnv(t *testing.T, opts tgfake.Options) *doctorEnv {
	t.Helper()
	opts.BotUsername = doctorBot
	fake := tgfake.New(opts)
	t.Cleanup(fake.Close)
	c := newCLI(t)
	c.env["TELEGRAM_BOT_TOKEN"] = fake.Token()
	c.env["TELEGRAM_API_URL"] = fake.URL()
	c.env["REDIS_URL"] = os.Getenv("REDIS_URL") // "": the embedded run
	// June of the last year the built-in holidays know: this year known,
	// next year not yet published and not yet due.
	zone, _ := time.LoadLocation(ledger.DefaultTimeZone)
	now := time.Date(lastKnownHolidayYear(), time.June, 15, 10, 0, 0, 0, zone)
	return &doctorEnv{cli: c, fake: fake, clock: clock.NewManual(now)}
}

// lastKnownHolidayYear is the last year of the built-in China calendar, so
// the tests still mean the same when the library learns another year.
func lastKnownHolidayYear() int {
	cn := ledger.NewChinaCalendar(nil)
	y := 2021
	for cn.Covers(y + 1) {
		y++
	}
	return y
}

// doctor runs `rectibot doctor` on the env's clock (the root command uses
// the wall clock; doctor's own pre-run replaces the root's, so the command
// alone is what an operator runs).
func (e *doctorEnv) doctor(args ...string) result {
	e.t.Helper()
	env := make(map[string]string, len(e.env))
	for k, v := range e.env {
		env[k] = v
	}
	cmd := newDoctorCommand(&app{getenv: func(k string) string { return env[k] }, clock: e.clock})
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	r := result{out: out.String(), errOut: errOut.String(), err: err}
	if err != nil {
		r.code = exitFailure
		var ec exitCoder
		if errors.As(err, &ec) {
			r.code = ec.ExitCode()
		}
	}
	return r
}

// line is the report's line of the named check ("" if none).
func line(out, name string) string {
	for l := range strings.SplitSeq(out, "\n") {
		if len(l) > 6 && strings.HasPrefix(l[6:], name+" ") {
			return l
		}
	}
	return ""
}

// wantLine asserts the check's line starts with its status and holds every
// piece of text.
func wantLine(t *testing.T, out, status, name string, pieces ...string) {
	t.Helper()
	l := line(out, name)
	if !strings.HasPrefix(l, fmt.Sprintf("%-4s  %-13s  ", status, name)) {
		t.Errorf("want a %s line for %s, got %q in:\n%s", status, name, l, out)
		return
	}
	for _, p := range pieces {
		if !strings.Contains(l, p) {
			t.Errorf("%s line lacks %q: %q", name, p, l)
		}
	}
}

func TestDoctorAllGood(t *testing.T) {
	e := newDoctorEnv(t, tgfake.Options{})
	e.mustRun("migrate")
	r := e.doctor()
	if r.code != 0 {
		t.Fatalf("exit %d (%v):\n%s%s", r.code, r.err, r.out, r.errOut)
	}
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if len(lines) != 11 {
		t.Fatalf("want 10 checks and a summary, got:\n%s", r.out)
	}
	for _, l := range lines[:10] {
		if !strings.HasPrefix(l, "ok    ") || strings.Contains(l, " — ") {
			t.Errorf("not ok, or a fix on an ok line: %q", l)
		}
	}
	wantLine(t, r.out, "ok", checkDatabase, "reachable, migrated (ledger ", ", job queue ")
	if os.Getenv("REDIS_URL") == "" {
		wantLine(t, r.out, "ok", checkRedis, "not set: state in the process (one replica only)")
	} else {
		wantLine(t, r.out, "ok", checkRedis, "answers (keys under rectibot:)")
	}
	wantLine(t, r.out, "ok", checkToken, "accepted: the bot is @"+doctorBot)
	wantLine(t, r.out, "ok", checkUsername, "RECTIBOT_BOT_USERNAME matches @"+doctorBot)
	wantLine(t, r.out, "ok", checkPrivacy, "on: ")
	wantLine(t, r.out, "ok", checkWebhook, "none registered: long polling; 0 updates waiting")
	y := lastKnownHolidayYear()
	wantLine(t, r.out, "ok", checkHolidays, fmt.Sprintf("knows %d (built in); %d is published in November", y, y+1))
	wantLine(t, r.out, "ok", checkInbox, "no failed updates")
	wantLine(t, r.out, "ok", checkJobs, "no dead jobs")
	if lines[10] != "10 checks: 10 ok, 0 warnings, 0 failed" {
		t.Errorf("summary %q", lines[10])
	}
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func TestDoctorRedisUnreachable(t *testing.T) {
	e := newDoctorEnv(t, tgfake.Options{})
	e.mustRun("migrate")
	addr := closedAddr(t)
	e.env["REDIS_URL"] = "redis://" + addr + "/0"
	r := e.doctor()
	if r.code != exitFailure {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.out)
	}
	wantLine(t, r.out, "FAIL", checkRedis, "dial tcp "+addr, "refused", " — start Redis or unset REDIS_URL for a single instance")
	if !strings.Contains(r.out, "10 checks: 9 ok, 0 warnings, 1 failed\n") {
		t.Errorf("summary:\n%s", r.out)
	}

	// A Redis that takes the connection and never answers: the check's
	// timeout reports it instead of hanging doctor.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	e.env["REDIS_URL"] = "redis://" + ln.Addr().String() + "/0"
	r = e.doctor("--timeout", "300ms")
	if r.code != exitFailure {
		t.Fatalf("hanging Redis: exit %d:\n%s", r.code, r.out)
	}
	wantLine(t, r.out, "FAIL", checkRedis, "no answer within 300ms", " — start Redis")
}

func TestDoctorTelegramRefusedOrUnreachable(t *testing.T) {
	e := newDoctorEnv(t, tgfake.Options{})
	e.mustRun("migrate")
	e.env["TELEGRAM_BOT_TOKEN"] = "7000000001:AAAnotTheTokenTheFakeAccepts_0123456"
	r := e.doctor()
	if r.code != exitFailure {
		t.Fatalf("refused token: exit %d:\n%s", r.code, r.out)
	}
	wantLine(t, r.out, "FAIL", checkToken, "Telegram refuses TELEGRAM_BOT_TOKEN", " — copy the token again from @BotFather")
	for _, name := range []string{checkUsername, checkPrivacy, checkWebhook} {
		wantLine(t, r.out, "skip", name, "not checked: getMe did not answer")
	}
	if strings.Contains(r.out, "AAAnotTheToken") {
		t.Errorf("the token is printed:\n%s", r.out)
	}
	if !strings.Contains(r.out, "10 checks: 6 ok, 0 warnings, 1 failed, 3 not run\n") {
		t.Errorf("summary:\n%s", r.out)
	}

	e.env["TELEGRAM_BOT_TOKEN"] = e.fake.Token()
	e.env["TELEGRAM_API_URL"] = "http://" + closedAddr(t)
	r = e.doctor()
	wantLine(t, r.out, "FAIL", checkToken, "cannot reach "+e.env["TELEGRAM_API_URL"], "refused", " — check the network; where Telegram is blocked set HTTPS_PROXY=")
	if r.code != exitFailure || strings.Contains(r.out, "Telegram refuses") || strings.Contains(r.out, e.fake.Token()) {
		t.Errorf("unreachable Telegram: exit %d:\n%s", r.code, r.out)
	}
}

func TestDoctorBotSettings(t *testing.T) {
	e := newDoctorEnv(t, tgfake.Options{PrivacyOff: true})
	e.mustRun("migrate")
	delete(e.env, "RECTIBOT_BOT_USERNAME")
	r := e.doctor()
	if r.code != 0 {
		t.Errorf("warnings only: exit %d", r.code)
	}
	wantLine(t, r.out, "warn", checkPrivacy, "off: the bot receives and stores every message of its groups", " — @BotFather: /setprivacy → Enable")
	wantLine(t, r.out, "warn", checkUsername, "RECTIBOT_BOT_USERNAME not set", " — set RECTIBOT_BOT_USERNAME="+doctorBot+": rectibot invite")
	if !strings.Contains(r.out, "10 checks: 8 ok, 2 warnings, 0 failed\n") {
		t.Errorf("summary:\n%s", r.out)
	}

	e.env["RECTIBOT_BOT_USERNAME"] = "other_office_bot"
	r = e.doctor()
	wantLine(t, r.out, "FAIL", checkUsername, "RECTIBOT_BOT_USERNAME is other_office_bot, but the token is @"+doctorBot+"'s")
	if r.code != exitFailure {
		t.Errorf("another bot's username: exit %d", r.code)
	}
}

// A bad configuration is doctor's first line, each variable below it, and
// exit 1 — not the other commands' 78: doctor's status says whether a
// check failed.
func TestDoctorBadConfiguration(t *testing.T) {
	c := newCLI(t)
	c.env["RECTIBOT_ADMINS"] = "12,abc"
	c.env["RECTIBOT_TIME_ZONE"] = "Mars/Olympus"
	r := c.run("doctor")
	if r.code != exitFailure {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.out)
	}
	want := "FAIL  configuration  2 problems — correct each variable named below (README: Configuration)\n" +
		"      RECTIBOT_ADMINS: \"abc\" is not a Telegram user id (expected positive numbers separated by commas)\n" +
		"      RECTIBOT_TIME_ZONE: \"Mars/Olympus\" is not an IANA time zone such as Asia/Shanghai\n" +
		"1 check: 0 ok, 0 warnings, 1 failed (the other checks need a valid configuration)\n"
	if r.out != want {
		t.Errorf("report:\n%s\nwant:\n%s", r.out, want)
	}
}

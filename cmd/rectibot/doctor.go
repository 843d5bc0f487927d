package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/config"
	"github.com/rectibot/rectibot/models"
)

const doctorHelp = `Check what the running bot needs, one line each, in this order: the
configuration, the database (reachable, every migration applied — doctor
never migrates), Redis, the token (getMe), RECTIBOT_BOT_USERNAME, group
privacy, the webhook (getWebhookInfo), the holiday calendar for next year,
failed updates in the inbox and dead jobs. Each line is ok, warn or FAIL
(skip when a check it depends on failed) with what was found and, when not
ok, the fix; a summary line ends the report.

Exit status: 0 when no check FAILs (warnings do not fail: they name work
to do, such as failed updates to look at, not a broken installation), 1
when any does — a bad configuration too, which doctor lists line by line
before stopping, since the other checks need it. Each check gives up after
--timeout, so a hanging service is reported rather than waited for.`

func newDoctorCommand(a *app) *cobra.Command {
	var timeout time.Duration
	var cfgErr error
	cmd := &cobra.Command{
		Use:   "doctor [--timeout 5s]",
		Short: "Check the configuration, database, Redis, Telegram (token, privacy, webhook), holiday calendar and waiting failures; exit 1 if any check fails",
		Long:  doctorHelp,
		Args:  usageArgs(0),
		// The report says what failed; no usage after it (set here too, so
		// the command run on its own behaves as under the root).
		SilenceUsage: true, SilenceErrors: true,
		// Replaces the root's pre-run, which stops on a bad configuration
		// before any command runs: doctor reports it as its first check.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.out = cmd.OutOrStdout()
			a.cfg, cfgErr = config.Load(a.getenv)
			level := slog.LevelWarn
			if cfgErr == nil {
				level = max(a.cfg.LogLevel, slog.LevelWarn) // the report is the output; logs only for trouble
			}
			a.log = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if timeout <= 0 {
				return withCode(exitUsage, errors.New("--timeout: expected a positive duration such as 5s"))
			}
			d := &doctor{a: a, timeout: timeout, out: a.out}
			defer d.close()
			return d.run(cmd.Context(), cfgErr)
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "how long each check waits for a service")
	return cmd
}

// checkStatus is a check's verdict.
type checkStatus int

const (
	statusOK checkStatus = iota
	statusWarn
	statusFail
	statusSkip // not run: a check it depends on failed
)

func (s checkStatus) String() string {
	return [...]string{"ok", "warn", "FAIL", "skip"}[s]
}

// Check names, as printed.
const (
	checkConfig   = "configuration"
	checkDatabase = "database"
	checkRedis    = "redis"
	checkToken    = "telegram"
	checkUsername = "bot username"
	checkPrivacy  = "group privacy"
	checkWebhook  = "webhook"
	checkHolidays = "holidays"
	checkInbox    = "inbox"
	checkJobs     = "jobs"
)

// checkResult is one line of the report.
type checkResult struct {
	status checkStatus
	name   string
	found  string
	fix    string // one line; printed unless ok
	detail []string
}

func ok(name, found string) checkResult {
	return checkResult{status: statusOK, name: name, found: found}
}
func warn(name, found, fix string) checkResult {
	return checkResult{status: statusWarn, name: name, found: found, fix: fix}
}
func fail(name, found, fix string) checkResult {
	return checkResult{status: statusFail, name: name, found: found, fix: fix}
}
func skip(name, why string) checkResult {
	return checkResult{status: statusSkip, name: name, found: why}
}

// doctor holds what the checks learn for the checks after them.
type doctor struct {
	a       *app
	out     io.Writer
	timeout time.Duration
	counts  [4]int

	db      *gorm.DB // opened by the database check
	dbReady bool     // every migration applied
	probe   *bot.Probe
	me      *bot.Identity // nil until getMe answered
}

func (d *doctor) close() {
	if d.db != nil {
		_ = models.Close(d.db)
	}
}

// run prints every check's line as it ends (a slow service shows where
// doctor is) and the summary.
func (d *doctor) run(ctx context.Context, cfgErr error) error {
	if cfgErr != nil {
		d.print(configProblems(cfgErr))
		return d.summary("the other checks need a valid configuration")
	}
	d.print(ok(checkConfig, "every variable valid"))
	for _, check := range []func(context.Context) checkResult{
		d.database, d.redis, d.token, d.username, d.privacy, d.webhook, d.holidays, d.inbox, d.jobs,
	} {
		cctx, cancel := context.WithTimeout(ctx, d.timeout)
		d.print(check(cctx))
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return d.summary("")
}

func (d *doctor) print(r checkResult) {
	d.counts[r.status]++
	line := fmt.Sprintf("%-4s  %-13s  %s", r.status, r.name, r.found)
	if r.fix != "" && r.status != statusOK {
		line += " — " + r.fix
	}
	fmt.Fprintln(d.out, line)
	for _, l := range r.detail {
		fmt.Fprintln(d.out, "      "+l)
	}
}

// summary prints "N checks: X ok, Y warnings, Z failed" and makes the exit
// status: 1 when anything failed.
func (d *doctor) summary(note string) error {
	n := d.counts[statusOK] + d.counts[statusWarn] + d.counts[statusFail] + d.counts[statusSkip]
	line := fmt.Sprintf("%s: %d ok, %s, %d failed", plural(n, "check"), d.counts[statusOK],
		plural(d.counts[statusWarn], "warning"), d.counts[statusFail])
	if s := d.counts[statusSkip]; s > 0 {
		line += fmt.Sprintf(", %d not run", s)
	}
	if note != "" {
		line += " (" + note + ")"
	}
	fmt.Fprintln(d.out, line)
	if f := d.counts[statusFail]; f > 0 {
		return withCode(exitFailure, fmt.Errorf("doctor: %d of %s failed", f, plural(n, "check")))
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// configProblems is the configuration's FAIL line with each bad variable
// on a line of its own below it, as config.Load names them.
func configProblems(err error) checkResult {
	var lines []string
	for _, e := range leafErrors(err) {
		for l := range strings.SplitSeq(e.Error(), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
	}
	r := fail(checkConfig, plural(len(lines), "problem"), "correct each variable named below (README: Configuration)")
	r.detail = lines
	return r
}

// leafErrors flattens errors.Join's tree.
func leafErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// database opens the database as the commands do, with the check's
// timeout, and compares its migrations with this binary's — reading only:
// unlike every other command, doctor never migrates.
func (d *doctor) database(ctx context.Context) checkResult {
	loc := d.a.cfg.Database
	where := describeDatabase(loc)
	if loc.Dialect == dburl.SQLite {
		// Opening would create the file (and its folder): say it is missing.
		if _, err := os.Stat(loc.Path); errors.Is(err, fs.ErrNotExist) {
			return fail(checkDatabase, where+": no database there yet", "rectibot migrate creates it (as does any command, and serve at start)")
		}
	}
	db, err := models.Open(ctx, loc, d.a.log)
	if err != nil {
		fix := "start PostgreSQL, or correct DATABASE_URL"
		if loc.Dialect == dburl.SQLite {
			fix = "check the file's permissions, or correct DATABASE_URL"
		}
		return fail(checkDatabase, where+": "+d.cause(err), fix)
	}
	d.db = db
	ledgerSt, err := models.PendingMigrations(ctx, db, loc.Dialect)
	if err != nil {
		return fail(checkDatabase, where+": "+d.cause(err), "check that DATABASE_URL names rectibot's database")
	}
	if len(ledgerSt.Unknown) > 0 {
		return fail(checkDatabase, fmt.Sprintf("%s: migrated by a newer rectibot (versions %s unknown to this one)", where, versionRanges(ledgerSt.Unknown)),
			"run the newer rectibot, or restore a backup made before it")
	}
	jobs, err := scheduler.PendingMigrations(ctx, db, loc.Dialect)
	if err != nil {
		return fail(checkDatabase, where+": "+d.cause(err), "run the rectibot that migrated this database")
	}
	var pending []string
	if len(ledgerSt.Pending) > 0 {
		pending = append(pending, "ledger "+versionRanges(ledgerSt.Pending))
	}
	if len(jobs.Pending) > 0 {
		pending = append(pending, "job queue "+versionRanges(jobs.Pending))
	}
	if len(pending) > 0 {
		return fail(checkDatabase, fmt.Sprintf("%s: reachable; migrations pending: %s", where, strings.Join(pending, ", ")),
			"rectibot migrate (serve also migrates at start)")
	}
	d.dbReady = true
	return ok(checkDatabase, fmt.Sprintf("%s: reachable, migrated (ledger %d, job queue %d)", where,
		last(ledgerSt.Known), last(jobs.Known)))
}

// describeDatabase names the database without its password.
func describeDatabase(loc dburl.Location) string {
	if loc.Dialect == dburl.SQLite {
		return "sqlite " + loc.Path
	}
	u, err := url.Parse(loc.DSN)
	if err != nil {
		return string(loc.Dialect)
	}
	s := "postgres " + u.Host + u.Path
	if sp := u.Query().Get("search_path"); sp != "" {
		s += " (schema " + sp + ")"
	}
	return s
}

// redis pings REDIS_URL once, without the client's retries.
func (d *doctor) redis(ctx context.Context) checkResult {
	raw := d.a.cfg.RedisURL
	if raw == "" {
		return ok(checkRedis, "not set: state in the process (one replica only)")
	}
	opt, err := redis.ParseURL(raw) // valid: config.Load checked it
	if err != nil {
		return fail(checkRedis, "REDIS_URL cannot be read", "correct REDIS_URL")
	}
	// Reachable first, on our own dial: go-redis logs a failed dial on
	// its global logger, which would print beside the report.
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, opt.Network, opt.Addr)
	if err != nil {
		return fail(checkRedis, d.cause(err), "start Redis or unset REDIS_URL for a single instance")
	}
	_ = conn.Close()
	opt.MaxRetries, opt.DialerRetries = -1, 1
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = d.timeout, d.timeout, d.timeout
	opt.ContextTimeoutEnabled = true
	c := redis.NewClient(opt)
	defer func() { _ = c.Close() }()
	if err := c.Ping(ctx).Err(); err != nil {
		msg := d.cause(err)
		if strings.Contains(msg, "WRONGPASS") || strings.Contains(msg, "NOAUTH") {
			return fail(checkRedis, msg, "correct the user and password in REDIS_URL")
		}
		return fail(checkRedis, msg, "start Redis or unset REDIS_URL for a single instance")
	}
	return ok(checkRedis, fmt.Sprintf("%s answers (keys under %s)", redactURL(raw), d.a.cfg.RedisPrefix))
}

// redactURL hides a URL's password.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	return u.Redacted()
}

// cause is an error's text, a timeout said as one.
func (d *doctor) cause(err error) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return fmt.Sprintf("no answer within %s (%v)", d.timeout, err)
	}
	return err.Error()
}

// inbox counts the updates that failed for good (rectibot inbox).
func (d *doctor) inbox(ctx context.Context) checkResult {
	if !d.dbReady {
		return skip(checkInbox, "not checked: the database is not ready")
	}
	n, latest, err := models.NewStore(d.db, d.a.clock).FailedUpdateCount(ctx)
	if err != nil {
		return fail(checkInbox, d.cause(err), "check the database")
	}
	if n == 0 {
		return ok(checkInbox, "no failed updates")
	}
	found := fmt.Sprintf("%d failed %s (messages and presses the bot could not handle)", n, pluralWord(n, "update"))
	if !latest.IsZero() {
		found += ", the latest " + latest.In(d.a.cfg.TimeZone).Format("2006-01-02 15:04")
	}
	return warn(checkInbox, found, "rectibot inbox lists them with their errors; rectibot inbox --retry UPDATE_ID puts one back in line")
}

// jobs counts the dead letters (rectibot jobs).
func (d *doctor) jobs(ctx context.Context) checkResult {
	if !d.dbReady {
		return skip(checkJobs, "not checked: the database is not ready")
	}
	n, err := scheduler.DiscardedJobCount(ctx, d.db)
	if err != nil {
		return fail(checkJobs, d.cause(err), "check the database")
	}
	if n == 0 {
		return ok(checkJobs, "no dead jobs")
	}
	return warn(checkJobs, fmt.Sprintf("%d dead %s (reminders or digests that failed for good)", n, pluralWord(n, "job")),
		"rectibot jobs lists them with their errors; they are not retried: tell the people concerned")
}

func pluralWord(n int64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// versionRanges writes ascending versions as ranges: 1-7, 9, 11-13.
func versionRanges[T int | int64](vs []T) string {
	var parts []string
	for i := 0; i < len(vs); {
		j := i
		for j+1 < len(vs) && vs[j+1] == vs[j]+1 {
			j++
		}
		s := strconv.FormatInt(int64(vs[i]), 10)
		if j > i {
			s += "-" + strconv.FormatInt(int64(vs[j]), 10)
		}
		parts = append(parts, s)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func last[T any](vs []T) T {
	var zero T
	if len(vs) == 0 {
		return zero
	}
	return vs[len(vs)-1]
}

// holidays asks whether the China calendar knows this year's and next
// year's holidays (the built-in data, or RECTIBOT_HOLIDAYS): for a year it
// does not, every Monday to Friday counts as a working day, so reminders
// go out on holidays and overdue days are miscounted.
func (d *doctor) holidays(context.Context) checkResult {
	cal, isChina := d.a.cfg.Calendar.(*ledger.ChinaCalendar)
	if !isChina {
		return ok(checkHolidays, "RECTIBOT_WORKDAYS is not cn: no holiday data needed")
	}
	// Valid: config.Load parsed it already.
	overrides, _ := ledger.ParseCalendarOverrides(d.a.getenv("RECTIBOT_HOLIDAYS"))
	source := func(year int) string {
		switch {
		case cal.Covers(year):
			return "built in"
		}
		for day := range overrides {
			if day.Year == year {
				return "RECTIBOT_HOLIDAYS"
			}
		}
		return ""
	}
	now := d.a.clock.Now().In(d.a.cfg.TimeZone)
	this, next := now.Year(), now.Year()+1
	const fix = "China publishes next year's arrangement each November: add it to RECTIBOT_HOLIDAYS=YYYY-MM-DD:off,YYYY-MM-DD:work,… (format in README)"
	switch {
	case source(this) == "":
		return fail(checkHolidays, fmt.Sprintf("the calendar does not know %d's holidays: every Monday to Friday counts as a working day", this),
			fmt.Sprintf("add %d's arrangement to RECTIBOT_HOLIDAYS=YYYY-MM-DD:off,YYYY-MM-DD:work,… (format in README), or upgrade rectibot", this))
	case source(next) != "":
		return ok(checkHolidays, fmt.Sprintf("knows %d (%s) and %d (%s)", this, source(this), next, source(next)))
	case now.Month() >= time.November:
		return warn(checkHolidays, fmt.Sprintf("knows %d (%s), not %d", this, source(this), next), fix)
	}
	return ok(checkHolidays, fmt.Sprintf("knows %d (%s); %d is published in November", this, source(this), next))
}

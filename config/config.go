// Package config reads rectibot's settings from the environment once, in
// main, into one validated struct that is passed down. Nothing else reads
// the environment.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/schedule"
)

// Config is every setting, validated.
type Config struct {
	Database    dburl.Location
	RedisURL    string // "" = in-process state for a single instance
	RedisPrefix string // namespaces the keys, so installations can share one Redis database
	Admins      []int64
	BotUsername string // without @
	HTTPAddr    string
	// MetricsAddr is a listener of its own for /metrics, /readyz and
	// /healthz, so the main one (webhook) can face the internet without
	// them ("": they stay on HTTPAddr).
	MetricsAddr string
	TimeZone    *time.Location // the zone of plans that name none
	Calendar    ledger.Calendar
	Light       ledger.LightThresholds
	LogLevel    slog.Level
	Telegram    Telegram
	Schedule    schedule.Settings // working hours, reminder ladder, escalations, digest times
	// JobRescueAfter is when a job left running by a killed process runs
	// again (0: the scheduler's default, 5 minutes).
	JobRescueAfter time.Duration
	// InboxLease is how long a chat stays with a replica that stopped
	// renewing it (killed) before another takes it (0: the bot's default,
	// 30 seconds).
	InboxLease time.Duration
	// DOCXTemplate is the path of the office's reference .docx, whose
	// styles and page setup the documents take ("": the built-in layout).
	// Only the path: `serve` and `notice` load and check the file.
	DOCXTemplate string
	MiniApp      MiniApp
}

// MiniApp is the dashboard Telegram opens inside the chat (served by
// `serve` at /app/ on RECTIBOT_HTTP_ADDR, behind the webhook's TLS proxy).
type MiniApp struct {
	// URL is its public https address, ending in /app/ ("": no 整改看板
	// button and no menu button; the page is served all the same).
	URL string
	// MaxAge is how old the initData Telegram signed may be (0: a day).
	MaxAge time.Duration
}

// Telegram is the bot's connection to the Bot API; only `serve` needs it
// (see RequireTelegram).
type Telegram struct {
	Token         string // never logged
	APIURL        string // Bot API base URL
	WebhookURL    string // "" = long polling
	WebhookSecret string
}

// DefaultAPIURL is Telegram's public Bot API.
const DefaultAPIURL = "https://api.telegram.org"

// RequireTelegram checks what serving the bot needs beyond Load.
func (c Config) RequireTelegram() error {
	if c.Telegram.Token == "" {
		return errors.New("TELEGRAM_BOT_TOKEN: required to serve the bot (the token BotFather gave)")
	}
	return nil
}

// Getenv is os.Getenv's shape, so tests pass a map.
type Getenv func(string) string

// Load reads and validates the environment. Every bad setting is reported,
// each on its own line naming the variable; secrets are never echoed.
func Load(getenv Getenv) (Config, error) {
	var (
		c    Config
		errs []error
		bad  = func(name, format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
		}
	)
	db, err := dburl.Parse(strings.TrimSpace(getenv("DATABASE_URL")))
	if err != nil {
		errs = append(errs, err)
	}
	c.Database = db

	if raw := strings.TrimSpace(getenv("REDIS_URL")); raw != "" {
		if _, err := redis.ParseURL(raw); err != nil {
			bad("REDIS_URL", "expected redis://[user:password@]host:port[/db] or rediss://…")
		}
		c.RedisURL = raw
	}
	c.RedisPrefix = "rectibot:"
	if raw := strings.TrimSpace(getenv("RECTIBOT_REDIS_PREFIX")); raw != "" {
		if strings.ContainsAny(raw, " \t\n*?[]") || len(raw) > 64 {
			bad("RECTIBOT_REDIS_PREFIX", "%q: expected up to 64 characters without spaces or glob characters, such as office-a:", raw)
		}
		c.RedisPrefix = raw
	}

	for item := range strings.SplitSeq(getenv("RECTIBOT_ADMINS"), ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		id, err := strconv.ParseInt(item, 10, 64)
		if err != nil || id <= 0 {
			bad("RECTIBOT_ADMINS", "%q is not a Telegram user id (expected positive numbers separated by commas)", item)
			continue
		}
		c.Admins = append(c.Admins, id)
	}

	c.BotUsername = strings.TrimPrefix(strings.TrimSpace(getenv("RECTIBOT_BOT_USERNAME")), "@")
	if c.BotUsername != "" && !validUsername(c.BotUsername) {
		bad("RECTIBOT_BOT_USERNAME", "%q is not a Telegram bot username (5–32 letters, digits or _)", c.BotUsername)
	}

	c.HTTPAddr = orDefault(getenv("RECTIBOT_HTTP_ADDR"), "127.0.0.1:8080")
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		bad("RECTIBOT_HTTP_ADDR", "%q: expected host:port", c.HTTPAddr)
	}
	if c.MetricsAddr = strings.TrimSpace(getenv("RECTIBOT_METRICS_ADDR")); c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("RECTIBOT_METRICS_ADDR", "%q: expected host:port", c.MetricsAddr)
		} else if c.MetricsAddr == c.HTTPAddr {
			bad("RECTIBOT_METRICS_ADDR", "%q is RECTIBOT_HTTP_ADDR too: give it another port, or leave it unset to serve metrics there", c.MetricsAddr)
		}
	}

	tz := orDefault(getenv("RECTIBOT_TIME_ZONE"), ledger.DefaultTimeZone)
	if c.TimeZone, err = time.LoadLocation(tz); err != nil {
		bad("RECTIBOT_TIME_ZONE", "%q is not an IANA time zone such as Asia/Shanghai", tz)
	}

	overrides, err := ledger.ParseCalendarOverrides(getenv("RECTIBOT_HOLIDAYS"))
	if err != nil {
		bad("RECTIBOT_HOLIDAYS", "%v", err)
	}
	if c.Calendar, err = ledger.ParseWorkdays(getenv("RECTIBOT_WORKDAYS"), overrides); err != nil {
		bad("RECTIBOT_WORKDAYS", "%v", err)
	}

	c.Light = ledger.DefaultLightThresholds
	if raw := strings.TrimSpace(getenv("RECTIBOT_YELLOW_DAYS")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 365 {
			bad("RECTIBOT_YELLOW_DAYS", "%q: expected a number of days from 0 to 365", raw)
		}
		c.Light.YellowWithinDays = n
	}

	c.Telegram, errs = loadTelegram(getenv, errs)

	cal := c.Calendar
	if cal == nil { // RECTIBOT_WORKDAYS was bad (reported): still check the rest
		cal = ledger.NewChinaCalendar(nil)
	}
	sched, err := schedule.LoadSettings(getenv, cal)
	if err != nil {
		errs = append(errs, err)
	}
	c.Schedule = sched

	if raw := strings.TrimSpace(getenv("RECTIBOT_JOB_RESCUE_AFTER")); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 2*time.Second || d > 24*time.Hour {
			bad("RECTIBOT_JOB_RESCUE_AFTER", "%q: expected a duration from 2s to 24h such as 5m", raw)
		}
		c.JobRescueAfter = d
	}
	if raw := strings.TrimSpace(getenv("RECTIBOT_INBOX_LEASE")); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 2*time.Second || d > 10*time.Minute {
			bad("RECTIBOT_INBOX_LEASE", "%q: expected a duration from 2s to 10m such as 30s", raw)
		}
		c.InboxLease = d
	}

	c.DOCXTemplate = strings.TrimSpace(getenv("RECTIBOT_DOCX_TEMPLATE"))
	c.MiniApp, errs = loadMiniApp(getenv, errs)

	if err := c.LogLevel.UnmarshalText([]byte(orDefault(getenv("RECTIBOT_LOG_LEVEL"), "info"))); err != nil {
		bad("RECTIBOT_LOG_LEVEL", "expected debug, info, warn or error")
	}
	return c, errors.Join(errs...)
}

func orDefault(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}

func validUsername(s string) bool {
	if len(s) < 5 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

var (
	tokenShape  = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$`)
	secretShape = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

func loadTelegram(getenv Getenv, errs []error) (Telegram, []error) {
	t := Telegram{
		Token:         strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")),
		APIURL:        strings.TrimRight(orDefault(getenv("TELEGRAM_API_URL"), DefaultAPIURL), "/"),
		WebhookURL:    strings.TrimSpace(getenv("RECTIBOT_WEBHOOK_URL")),
		WebhookSecret: strings.TrimSpace(getenv("RECTIBOT_WEBHOOK_SECRET")),
	}
	if t.Token != "" && !tokenShape.MatchString(t.Token) {
		// Never echo the value: it is a secret even when malformed.
		errs = append(errs, errors.New("TELEGRAM_BOT_TOKEN: not a bot token (expected digits, a colon and the secret part)"))
	}
	if u, err := url.Parse(t.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, errors.New("TELEGRAM_API_URL: expected an http(s) URL such as https://api.telegram.org"))
	}
	if t.WebhookURL != "" {
		if u, err := url.Parse(t.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			errs = append(errs, errors.New("RECTIBOT_WEBHOOK_URL: expected an https:// URL that Telegram can reach"))
		}
		if !secretShape.MatchString(t.WebhookSecret) {
			errs = append(errs, errors.New("RECTIBOT_WEBHOOK_SECRET: required with RECTIBOT_WEBHOOK_URL: 1–256 letters, digits, _ or -"))
		}
	}
	return t, errs
}

func loadMiniApp(getenv Getenv, errs []error) (MiniApp, []error) {
	var m MiniApp
	if m.URL = strings.TrimSpace(getenv("RECTIBOT_MINIAPP_URL")); m.URL != "" {
		u, err := url.Parse(m.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" || !strings.HasSuffix(u.Path, "/app/") || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, errors.New("RECTIBOT_MINIAPP_URL: expected the https:// address where the proxy serves rectibot's /app/, such as https://bot.example.cn/app/"))
		}
	}
	if raw := strings.TrimSpace(getenv("RECTIBOT_MINIAPP_MAX_AGE")); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < time.Minute || d > 7*24*time.Hour {
			errs = append(errs, fmt.Errorf("RECTIBOT_MINIAPP_MAX_AGE: %q: expected a duration from 1m to 168h such as 24h", raw))
		}
		m.MaxAge = d
	}
	return m, errs
}

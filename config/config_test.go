package config

import (
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/ledger"
)

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Dialect != dburl.SQLite || !strings.HasSuffix(c.Database.Path, "rectibot/rectibot.db") {
		t.Errorf("default database = %+v, want the embedded SQLite file", c.Database)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.TimeZone.String() != "Asia/Shanghai" || c.Light.YellowWithinDays != 7 {
		t.Errorf("defaults: %+v", c)
	}
	// National Day 2021 is off, its make-up Saturday is on: the China calendar is the default.
	if c.Calendar.IsWorkday(ledger.MustDate(2021, 10, 4)) || !c.Calendar.IsWorkday(ledger.MustDate(2021, 9, 26)) {
		t.Error("default calendar is not China's")
	}
}

func TestEverySettingIsRead(t *testing.T) {
	c, err := Load(env(map[string]string{
		"DATABASE_URL":          "postgres://u:secret@db:5432/rectibot",
		"REDIS_URL":             "redis://localhost:6379/2",
		"RECTIBOT_ADMINS":       " 123, 456 ",
		"RECTIBOT_BOT_USERNAME": "@rectify_bot",
		"RECTIBOT_HTTP_ADDR":    ":9090",
		"RECTIBOT_TIME_ZONE":    "Asia/Urumqi",
		"RECTIBOT_WORKDAYS":     "mon-fri",
		"RECTIBOT_HOLIDAYS":     "2027-01-04:off",
		"RECTIBOT_YELLOW_DAYS":  "5",
		"RECTIBOT_REDIS_PREFIX": "office-a:",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.RedisPrefix != "office-a:" {
		t.Errorf("RECTIBOT_REDIS_PREFIX read as %q", c.RedisPrefix)
	}
	if c.Database.Dialect != dburl.Postgres || c.RedisURL == "" || len(c.Admins) != 2 || c.Admins[1] != 456 ||
		c.BotUsername != "rectify_bot" || c.HTTPAddr != ":9090" || c.TimeZone.String() != "Asia/Urumqi" || c.Light.YellowWithinDays != 5 {
		t.Errorf("config: %+v", c)
	}
	if c.Calendar.IsWorkday(ledger.MustDate(2027, 1, 4)) {
		t.Error("override 2027-01-04:off ignored")
	}
}

func TestEveryBadSettingIsNamedAndSecretsAreNotEchoed(t *testing.T) {
	_, err := Load(env(map[string]string{
		"DATABASE_URL":              "mysql://root:hunter2@x/db",
		"REDIS_URL":                 "http://hunter2@x",
		"RECTIBOT_ADMINS":           "12,abc",
		"RECTIBOT_BOT_USERNAME":     "a b",
		"RECTIBOT_HTTP_ADDR":        "nope",
		"RECTIBOT_TIME_ZONE":        "Mars/Base",
		"RECTIBOT_WORKDAYS":         "sometimes",
		"RECTIBOT_HOLIDAYS":         "2027-13-01:off",
		"RECTIBOT_YELLOW_DAYS":      "-1",
		"RECTIBOT_LOG_LEVEL":        "loud",
		"RECTIBOT_WORK_HOURS":       "9-18",
		"RECTIBOT_REMINDER_OFFSETS": "seven",
		"RECTIBOT_ESCALATE_AFTER":   "7d,3d",
		"RECTIBOT_DIGEST_SCHEDULE":  "every full moon",
		"RECTIBOT_REDIS_PREFIX":     "a b*",
	}))
	if err == nil {
		t.Fatal("bad settings accepted")
	}
	msg := err.Error()
	for _, name := range []string{"DATABASE_URL", "REDIS_URL", "RECTIBOT_ADMINS", "RECTIBOT_BOT_USERNAME", "RECTIBOT_HTTP_ADDR",
		"RECTIBOT_TIME_ZONE", "RECTIBOT_WORKDAYS", "RECTIBOT_HOLIDAYS", "RECTIBOT_YELLOW_DAYS", "RECTIBOT_LOG_LEVEL",
		"RECTIBOT_WORK_HOURS", "RECTIBOT_REMINDER_OFFSETS", "RECTIBOT_ESCALATE_AFTER", "RECTIBOT_DIGEST_SCHEDULE", "RECTIBOT_REDIS_PREFIX"} {
		if !strings.Contains(msg, name) {
			t.Errorf("error does not name %s:\n%s", name, msg)
		}
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("a password leaked into the error:\n%s", msg)
	}
}

func TestTelegramSettings(t *testing.T) {
	token := "123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp"
	c, err := Load(env(map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": "http://127.0.0.1:9999/",
		"RECTIBOT_WEBHOOK_URL": "https://bot.example.cn/hook", "RECTIBOT_WEBHOOK_SECRET": "s3cret_ok"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Telegram.Token != token || c.Telegram.APIURL != "http://127.0.0.1:9999" || c.RequireTelegram() != nil {
		t.Errorf("telegram: %+v", c.Telegram)
	}
	if err := (Config{}).RequireTelegram(); err == nil || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN") {
		t.Errorf("missing token: %v", err)
	}
	_, err = Load(env(map[string]string{"TELEGRAM_BOT_TOKEN": "hunter2-not-a-token", "RECTIBOT_WEBHOOK_URL": "http://insecure"}))
	if err == nil || strings.Contains(err.Error(), "hunter2") ||
		!strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN") || !strings.Contains(err.Error(), "RECTIBOT_WEBHOOK_URL") ||
		!strings.Contains(err.Error(), "RECTIBOT_WEBHOOK_SECRET") {
		t.Errorf("bad telegram settings: %v", err)
	}
}

// TestTheDOCXTemplateIsOnlyAPath: config keeps the path of the office's
// reference .docx as given; `serve` and `notice` load and check the file
// (so config does not import the document writer).
func TestTheDOCXTemplateIsOnlyAPath(t *testing.T) {
	c, err := Load(env(map[string]string{"RECTIBOT_DOCX_TEMPLATE": " /srv/rectibot/版式.docx "}))
	if err != nil || c.DOCXTemplate != "/srv/rectibot/版式.docx" {
		t.Errorf("RECTIBOT_DOCX_TEMPLATE: %q, %v", c.DOCXTemplate, err)
	}
	if c, err := Load(env(nil)); err != nil || c.DOCXTemplate != "" {
		t.Errorf("unset: %q, %v", c.DOCXTemplate, err)
	}
}

func TestMiniAppSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"RECTIBOT_MINIAPP_URL": " https://bot.example.cn/app/ ", "RECTIBOT_MINIAPP_MAX_AGE": "2h"}))
	if err != nil || c.MiniApp.URL != "https://bot.example.cn/app/" || c.MiniApp.MaxAge != 2*time.Hour {
		t.Errorf("mini app: %+v, %v", c.MiniApp, err)
	}
	if c, err := Load(env(nil)); err != nil || c.MiniApp != (MiniApp{}) {
		t.Errorf("unset: %+v, %v", c.MiniApp, err)
	}
	for _, bad := range []map[string]string{
		{"RECTIBOT_MINIAPP_URL": "http://bot.example.cn/app/"},      // Telegram opens https only
		{"RECTIBOT_MINIAPP_URL": "https://bot.example.cn/"},         // not where /app/ is served
		{"RECTIBOT_MINIAPP_URL": "https://bot.example.cn/app/?x=1"}, // the page owns its URL
		{"RECTIBOT_MINIAPP_MAX_AGE": "10s"},
		{"RECTIBOT_MINIAPP_MAX_AGE": "forever"},
	} {
		_, err := Load(env(bad))
		for name := range bad {
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%v accepted or not named: %v", bad, err)
			}
		}
	}
}

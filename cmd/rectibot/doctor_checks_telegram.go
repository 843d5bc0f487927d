package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rectibot/rectibot/bot"
)

const proxyFix = "check the network; where Telegram is blocked set HTTPS_PROXY=http://proxy:port (README: Going live)"

// token asks getMe once through the bot's own client (TELEGRAM_API_URL
// and HTTPS_PROXY honoured), telling a refused token from a Telegram out
// of reach.
func (d *doctor) token(ctx context.Context) checkResult {
	tg := d.a.cfg.Telegram
	if tg.Token == "" {
		return fail(checkToken, "TELEGRAM_BOT_TOKEN not set", "set it to the token @BotFather gave (README: Going live)")
	}
	p, err := bot.NewProbe(tg.Token, tg.APIURL)
	if err != nil {
		return fail(checkToken, err.Error(), "correct TELEGRAM_API_URL")
	}
	d.probe = p
	me, err := p.Me(ctx)
	if err != nil {
		return d.telegramFailure(checkToken, err)
	}
	d.me = &me
	return ok(checkToken, fmt.Sprintf("accepted: the bot is @%s (id %d)", me.Username, me.ID))
}

// telegramFailure is a failed call's line: refused token, no answer, or
// Telegram's refusal.
func (d *doctor) telegramFailure(name string, err error) checkResult {
	api := d.a.cfg.Telegram.APIURL
	switch {
	case errors.Is(err, bot.ErrUnauthorized):
		return fail(name, "Telegram refuses TELEGRAM_BOT_TOKEN (revoked, or mistyped)",
			"copy the token again from @BotFather (/mybots → API Token) into TELEGRAM_BOT_TOKEN")
	case errors.Is(err, bot.ErrUnreachable):
		return fail(name, fmt.Sprintf("cannot reach %s: %s", api, strings.TrimPrefix(err.Error(), bot.ErrUnreachable.Error()+": ")), proxyFix)
	}
	return fail(name, fmt.Sprintf("%s answered with an error: %v", api, err), "try again in a minute; if it stays, check TELEGRAM_API_URL")
}

// username compares RECTIBOT_BOT_USERNAME, which invite links are built
// from, with the bot the token belongs to.
func (d *doctor) username(context.Context) checkResult {
	if d.me == nil {
		return skip(checkUsername, "not checked: getMe did not answer")
	}
	got, want := d.me.Username, d.a.cfg.BotUsername
	switch {
	case want == "":
		return warn(checkUsername, "RECTIBOT_BOT_USERNAME not set", fmt.Sprintf("set RECTIBOT_BOT_USERNAME=%s: rectibot invite builds its links from it", got))
	case !strings.EqualFold(got, want):
		return fail(checkUsername, fmt.Sprintf("RECTIBOT_BOT_USERNAME is %s, but the token is @%s's", want, got),
			fmt.Sprintf("set RECTIBOT_BOT_USERNAME=%s, or the token of @%s: invite links would open another bot", got, want))
	}
	return ok(checkUsername, fmt.Sprintf("RECTIBOT_BOT_USERNAME matches @%s", got))
}

// privacy reads getMe's group settings. The bot needs in a group only
// commands and replies to its own messages, which privacy mode lets
// through (README: Going live), so privacy on is right: off, every message
// of every member lands in the inbox for nothing.
func (d *doctor) privacy(context.Context) checkResult {
	if d.me == nil {
		return skip(checkPrivacy, "not checked: getMe did not answer")
	}
	switch {
	case !d.me.CanJoinGroups:
		return warn(checkPrivacy, "the bot cannot be added to groups (no group digests or closures heard there)",
			"@BotFather: /setjoingroups → Enable")
	case d.me.CanReadAllGroupMessages:
		return warn(checkPrivacy, "off: the bot receives and stores every message of its groups, though it needs only commands and replies to it",
			"@BotFather: /setprivacy → Enable, then remove the bot from each group and add it again")
	}
	return ok(checkPrivacy, "on: in groups the bot gets commands and replies to its messages, all it needs")
}

// recentError is how long Telegram's last delivery error is worth a
// warning once nothing waits: Telegram keeps it after deliveries recover.
const recentError = 24 * time.Hour

// webhook compares getWebhookInfo with the mode serve runs in.
func (d *doctor) webhook(ctx context.Context) checkResult {
	if d.probe == nil || d.me == nil {
		return skip(checkWebhook, "not checked: getMe did not answer")
	}
	info, err := d.probe.Webhook(ctx)
	if err != nil {
		return d.telegramFailure(checkWebhook, err)
	}
	want := d.a.cfg.Telegram.WebhookURL
	waiting := fmt.Sprintf("%d %s waiting", info.PendingUpdates, pluralWord(int64(info.PendingUpdates), "update"))
	switch {
	case want == "" && info.URL != "":
		return warn(checkWebhook, fmt.Sprintf("%s is registered, but RECTIBOT_WEBHOOK_URL is not set (long polling)", info.URL),
			"serve deletes it at start; if it comes back, another installation uses this token (give each its own bot) — or set RECTIBOT_WEBHOOK_URL here")
	case want == "":
		return ok(checkWebhook, "none registered: long polling; "+waiting)
	case info.URL == "":
		return warn(checkWebhook, "not registered with Telegram yet; "+waiting, "serve registers RECTIBOT_WEBHOOK_URL at start: start it, or restart it")
	case info.URL != want:
		return fail(checkWebhook, fmt.Sprintf("Telegram posts to %s, not RECTIBOT_WEBHOOK_URL=%s", info.URL, want),
			"restart serve to register it; if another installation uses this token, give each its own bot")
	}
	const fix = "check that serve runs and the TLS proxy passes /telegram/webhook to RECTIBOT_HTTP_ADDR (README: Going live)"
	if info.LastError != "" {
		now := d.a.clock.Now()
		when := fmt.Sprintf("%s (%s ago)", info.LastErrorAt.In(d.a.cfg.TimeZone).Format("2006-01-02 15:04"), ago(now.Sub(info.LastErrorAt)))
		switch {
		case info.PendingUpdates > 0:
			return fail(checkWebhook, fmt.Sprintf("Telegram cannot deliver to %s: %s; last error %s: %s", info.URL, waiting, when, info.LastError), fix)
		case now.Sub(info.LastErrorAt) < recentError:
			return warn(checkWebhook, fmt.Sprintf("%s; nothing waiting, but the last delivery error was %s: %s", info.URL, when, info.LastError), fix)
		}
	}
	return ok(checkWebhook, fmt.Sprintf("Telegram posts to %s; %s", info.URL, waiting))
}

// ago says a duration the way a person reads it: 12 min, 5 h, 3 days.
func ago(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", max(0, int(d.Minutes())))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

package scheduler

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
	"github.com/rectibot/rectibot/schedule"
)

// ErrNotLinked means the recipient has no Telegram account yet: what is due
// for them waits until they link, and they get it then.
var ErrNotLinked = errors.New("the person has not linked Telegram yet")

// Recipient is who a notify job is for: a person of the ledger, or an admin
// known only by a Telegram id from the configuration.
type Recipient struct {
	PersonID   uint
	TelegramID int64
}

// Notifier tells one person, in one calm message, everything due for them
// now: reminders, overdue notices and check-ins as an officer, escalations
// as a leader or an admin; and asks the follow-up reviews, one message each.
// It recomputes what is due from the ledger, so a closed or re-dated task
// simply drops out, and leaves out what was told already (notifications), so
// running twice never tells twice.
type Notifier struct {
	Store    *models.Store
	Out      outbound.Sender
	Settings schedule.Settings
	Admins   []int64 // configured admin Telegram ids
}

// maxListed keeps a reminder to one screen and well under 4096 characters;
// more items go into further messages.
const maxListed = 20

// Notify sends what is due for rc at now and returns the number of messages
// sent. outbound.ErrUnreachable and ErrNotLinked tell the caller to stop.
func (n *Notifier) Notify(ctx context.Context, rc Recipient, now time.Time) (int, error) {
	who, err := n.resolve(ctx, rc)
	if err != nil {
		return 0, err
	}
	dues, tasks, err := n.collect(ctx, who, now)
	if err != nil || len(dues) == 0 {
		return 0, err
	}
	loc := render.NewLocalizer(langOr(who.lang))
	var reminders, followUps []Due
	for _, d := range dues {
		if d.Kind == KindFollowUp {
			followUps = append(followUps, d)
		} else {
			reminders = append(reminders, d)
		}
	}
	sent := 0
	for start := 0; start < len(reminders); start += maxListed {
		page := reminders[start:min(len(reminders), start+maxListed)]
		if err := n.sendReminder(ctx, who, loc, page, tasks, now, start/maxListed); err != nil {
			return sent, err
		}
		sent++
	}
	for _, d := range followUps {
		if err := n.sendFollowUp(ctx, who, loc, d, tasks[d.TaskID]); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// who is a resolved recipient.
type who struct {
	personID   *uint
	name       string
	telegramID int64
	lang       string
	actor      ledger.Actor
	admin      bool
}

func (n *Notifier) resolve(ctx context.Context, rc Recipient) (who, error) {
	if rc.PersonID == 0 {
		if !slices.Contains(n.Admins, rc.TelegramID) {
			return who{}, fmt.Errorf("notify: %d is not a configured admin", rc.TelegramID)
		}
		return who{telegramID: rc.TelegramID, admin: true}, nil
	}
	m, err := n.Store.MemberByID(ctx, rc.PersonID)
	if err != nil {
		return who{}, fmt.Errorf("notify: %w", err)
	}
	if m.Person.TelegramUserID == nil {
		return who{}, ErrNotLinked
	}
	id := m.Person.ID
	return who{personID: &id, name: m.Person.Name, telegramID: *m.Person.TelegramUserID, lang: m.Person.Lang,
		actor: m.Actor, admin: m.Actor.Has(ledger.RoleAdmin) || slices.Contains(n.Admins, *m.Person.TelegramUserID)}, nil
}

func langOr(l string) render.Lang {
	lang, _ := render.ParseLang(l)
	return lang
}

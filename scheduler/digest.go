package scheduler

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
	"github.com/rectibot/rectibot/schedule"
)

// GroupDigestWorker sends the half-monthly digest (半月梳理汇总) to every
// group subscribed to digests — one per department a group is limited to,
// the overview of the units to the supervisors' group — and to the
// admins, with who has not linked Telegram or has blocked the bot. Each run is sent once across replicas and restarts: the job that
// claims the run in periodic_runs sends it, inside the send window, and any
// other job of the same run does nothing.
type GroupDigestWorker struct {
	river.WorkerDefaults[GroupDigestArgs]
	Store    *models.Store
	Out      outbound.Sender
	Settings schedule.Settings
	Clock    clock.Clock
	Zone     *time.Location
	Light    ledger.LightThresholds
	Admins   []int64
	Log      *slog.Logger // nil: slog.Default()
}

// Work implements river.Worker.
func (w *GroupDigestWorker) Work(ctx context.Context, job *river.Job[GroupDigestArgs]) error {
	now := w.Clock.Now()
	if !w.Settings.InWindow(now, w.Zone) {
		return river.JobSnooze(w.Settings.NextSendTime(now, w.Zone).Sub(now))
	}
	run := job.Args.Run
	if run == "" {
		// Queued before runs were named: its ScheduledAt is still the send
		// time unless it was snoozed, which is what the worker used then.
		run = DigestRunKey(job.ScheduledAt)
	}
	mine, err := models.ClaimPeriodicRun(ctx, w.Store.DB(), JobKindGroupDigest, run, job.ID, now)
	if err != nil {
		return err
	}
	if !mine {
		cmp.Or(w.Log, slog.Default()).InfoContext(ctx, "digest run already given to another job",
			slog.String("run", run), slog.Int64("job", job.ID))
		return nil
	}
	if err := w.Send(ctx, now, run); err != nil {
		return snoozeOn429(err)
	}
	return models.FinishPeriodicRun(ctx, w.Store.DB(), JobKindGroupDigest, run, now)
}

// Send sends the digests of one run (run names it in the idempotency keys,
// so a run retried after a crash sends each digest once). A unit's group
// gets its unit's digest (one per department it is limited to); the
// supervisors' group — bound to no unit — gets the overview ranking every
// unit when the installation has several, and the whole digest while it
// has one.
func (w *GroupDigestWorker) Send(ctx context.Context, now time.Time, run string) error {
	today := ledger.DateOf(now.In(w.Zone))
	groups, err := w.Store.GroupsFor(ctx, models.SubscribeDigests, 0)
	if err != nil {
		return err
	}
	units, err := w.Store.CountUnits(ctx)
	if err != nil {
		return err
	}
	depts, err := w.Store.Departments(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		key := fmt.Sprintf("digest:%d:%s", g.ChatID, run)
		if g.UnitID == nil && units > 1 {
			if err := w.sendOverview(ctx, g.ChatID, nil, render.LangZh, today, key+":0"); err != nil {
				return err
			}
			continue
		}
		gs, err := w.Store.Group(ctx, g.ChatID)
		if err != nil {
			return err
		}
		filters := []models.DigestFilter{{Reach: unitReach(g.UnitID)}}
		if len(gs.DepartmentIDs) > 0 {
			// A department's name is its unit's: two units may each
			// have an 办公室.
			filters = nil
			for _, d := range depts {
				if slices.Contains(gs.DepartmentIDs, d.ID) {
					filters = append(filters, models.DigestFilter{Department: d.Name, Reach: unitReach(&d.UnitID)})
				}
			}
		}
		since, err := w.since(ctx, g.ChatID, today)
		if err != nil {
			return err
		}
		for i, f := range filters {
			d, err := w.Store.Digest(ctx, f, today, w.Light)
			if err != nil {
				return err
			}
			ch, err := w.Store.Changes(ctx, f, since, today, w.Zone)
			if err != nil {
				return err
			}
			d.Changes = &ch
			d.Calendar = w.Settings.WorkCalendar()
			if err := w.sendPages(ctx, g.ChatID, nil, render.DigestPages(d, render.LangZh, render.FormatHTML, render.TelegramMaxText), fmt.Sprintf("%s:%d", key, i)); err != nil {
				return err
			}
		}
	}
	return w.toAdmins(ctx, today, run, units)
}

// unitReach limits a digest to a unit; nil (no unit) is everything.
func unitReach(unit *uint) *ledger.Reach {
	if unit == nil {
		return nil
	}
	return &ledger.Reach{Units: []uint{*unit}, All: true}
}

// sendOverview sends the ranking of the units (all, or those given) and,
// when given, a closing text on its last page.
func (w *GroupDigestWorker) sendOverview(ctx context.Context, chat int64, person *uint, lang render.Lang, today ledger.Date, key string, tail ...string) error {
	ov, err := w.Store.Overview(ctx, today, nil, w.Light)
	if err != nil {
		return err
	}
	text := strings.Join(append([]string{render.OverviewBrief(ov, lang, render.FormatHTML)}, tail...), "\n\n")
	return w.sendPages(ctx, chat, person, render.Paginate(text, render.FormatHTML, render.TelegramMaxText), key)
}

// since is the day of the group's previous digest (the compilation covers
// what changed since), or half a month ago for a group's first.
func (w *GroupDigestWorker) since(ctx context.Context, chat int64, today ledger.Date) (ledger.Date, error) {
	at, ok, err := w.Store.LastDelivery(ctx, chat, "digest")
	if err != nil {
		return ledger.Date{}, err
	}
	if !ok {
		return today.AddDays(-15), nil
	}
	return ledger.DateOf(at.In(w.Zone)), nil
}

// toAdmins sends each admin their digest and the people the bot cannot
// reach (not linked yet, or blocked it): a unit's admin (its 整改办) their
// unit's digest and people; the admins above the units everything — the
// overview of the units when there are several, else the whole digest.
func (w *GroupDigestWorker) toAdmins(ctx context.Context, today ledger.Date, run string, units int) error {
	people, err := w.Store.People(ctx)
	if err != nil {
		return err
	}
	admins, err := w.Store.AdminsOf(ctx, models.EveryUnit)
	if err != nil {
		return err
	}
	type target struct {
		chat   int64
		person *uint
		lang   string
		unit   uint // 0: above the units
	}
	var targets []target
	for _, a := range admins {
		id, unit := a.ID, uint(0)
		if a.UnitID != nil {
			unit = *a.UnitID
		}
		targets = append(targets, target{chat: *a.TelegramUserID, person: &id, lang: a.Lang, unit: unit})
	}
	for _, id := range w.Admins {
		if !slices.ContainsFunc(targets, func(t target) bool { return t.chat == id }) {
			targets = append(targets, target{chat: id})
		}
	}
	digests := map[uint]ledger.Digest{} // by unit, computed once each
	for _, t := range targets {
		lang := langOr(t.lang)
		loc := render.NewLocalizer(lang)
		unlinked, blocked := unreachable(people, t.unit)
		attention := render.PeopleAttention(loc, unlinked, blocked)
		key := fmt.Sprintf("digest:admin:%d:%s", t.chat, run)
		if t.unit == 0 && units > 1 {
			if err := w.sendOverview(ctx, t.chat, t.person, lang, today, key, attention); err != nil {
				return err
			}
			continue
		}
		d, ok := digests[t.unit]
		if !ok {
			var u *uint
			if t.unit != 0 {
				u = &t.unit
			}
			if d, err = w.Store.Digest(ctx, models.DigestFilter{Reach: unitReach(u)}, today, w.Light); err != nil {
				return err
			}
			d.Calendar = w.Settings.WorkCalendar()
			digests[t.unit] = d
		}
		text := render.Digest(d, lang, render.FormatHTML) + "\n\n" + attention
		if err := w.sendPages(ctx, t.chat, t.person, render.Paginate(strings.TrimSpace(text), render.FormatHTML, render.TelegramMaxText), key); err != nil {
			return err
		}
	}
	return nil
}

// unreachable names the people of the unit (0: everyone) not linked yet,
// and those who blocked the bot.
func unreachable(people []models.PersonInfo, unit uint) (unlinked, blocked []string) {
	for _, p := range people {
		switch {
		case unit != 0 && p.UnitID != unit:
		case p.UnreachableAt != nil:
			blocked = append(blocked, p.Name)
		case !p.TelegramLinked:
			unlinked = append(unlinked, p.Name)
		}
	}
	return unlinked, blocked
}

func (w *GroupDigestWorker) sendPages(ctx context.Context, chat int64, person *uint, pages []string, key string) error {
	for i, page := range pages {
		k := fmt.Sprintf("%s:%d", key, i)
		sent, err := w.Store.Delivered(ctx, k)
		if err != nil {
			return err
		}
		if sent {
			continue
		}
		if _, err := w.Out.Send(ctx, outbound.Message{ChatID: chat, Text: page, Kind: outbound.KindDigest, PersonID: person, Key: k, Deferrable: true}); err != nil {
			return err
		}
	}
	return nil
}

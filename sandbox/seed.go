package sandbox

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
)

// ledgerCSV is the Dongguan case (shared/fixtures/dongguan-2021/ledger.csv):
// embedded, so `rectibot sandbox` needs no file besides the binary.
//
//go:embed data/dongguan-2021.csv
var ledgerCSV []byte

// The case as published: the 通报 is dated 2021-09-14, the feedback was
// given on 2021-04-25, and one deadline (立行立改六, 8月底前) is written
// without a year.
var (
	caseDate     = ledger.MustDate(2021, 9, 14)
	feedbackDate = ledger.MustDate(2021, 4, 25)
)

const (
	caseYear  = 2021
	planTitle = "市委第六巡察组反馈意见整改"
)

// adjustment is what the sandbox changes in one row after re-dating, so
// that the story of the issue can be watched from the first screen.
type adjustment struct {
	status ledger.Status
	// due gives the new deadline from the sandbox's first day; nil keeps
	// the shifted one.
	due           func(cal ledger.Calendar, start ledger.Date) ledger.Date
	clearProgress bool   // the case's 整改情况 says it is done: not yet, here
	addProgress   string // a last line of 整改情况
	// closedOn, for a task imported as pending and closed by the sandbox
	// after the import, is the day its closure is dated.
	closedOn func(cal ledger.Calendar, start ledger.Date) ledger.Date
}

// followUpDays is how long after a closure 回头看 comes, with the settings
// the sandbox runs (see build).
var followUpDays = schedule.DefaultSettings(nil).FollowUpAfter

// nextWorkday is the working day after start: what "next working day"
// shows.
func nextWorkday(cal ledger.Calendar, start ledger.Date) ledger.Date {
	return ledger.NextWorkday(cal, start.AddDays(1))
}

// story is the shape the sandbox needs beyond the case's own: the case has
// 22 closed and 3 in progress, none overdue on its report date.
var story = map[string]adjustment{
	// 周杰's (officer1): due on the next working day, so today's reminder
	// says "1 day left" and pressing "next working day" brings the one that
	// says it falls due today.
	"6(3)": {status: ledger.StatusInProgress, clearProgress: true, due: nextWorkday},
	// 周杰's: due two working days on, so it is not in today's reminder
	// but falls due in the next working day's (one day left), whatever
	// happens to 6(3) in the story.
	"11(2)": {status: ledger.StatusInProgress, clearProgress: true,
		due: func(cal ledger.Calendar, start ledger.Date) ledger.Date { return ledger.AddWorkdays(cal, start, 2) }},
	// 周杰's: the case's own overdue task (late as of 2021-11-01), 4 working
	// days late: overdue notices to him, and the escalation to leader1 (after
	// 3). The officer reports it done in the story and leader1 approves.
	"立行立改四": {status: ledger.StatusInProgress,
		due: func(cal ledger.Calendar, start ledger.Date) ledger.Date { return ledger.AddWorkdays(cal, start, -4) }},
	// 刘洋's: 8 working days late, so leader2 and the admins (after 7) have
	// an escalation waiting.
	"8(2)": {status: ledger.StatusInProgress,
		due: func(cal ledger.Calendar, start ledger.Date) ledger.Date { return ledger.AddWorkdays(cal, start, -8) }},
	// 黄敏's: reported done, waiting for leader1's /verify (待销号). The
	// last line is invented so the leader has evidence to judge.
	"6(2)": {status: ledger.StatusPendingVerification, addProgress: "剩余2份配套文件已于近日印发,全部37份配套文件已出台,申请销号。"},
	// 刘洋's: closed 90 days before the next working day, so that day
	// brings him the 回头看 question too.
	"4": {status: ledger.StatusPendingVerification,
		closedOn: func(cal ledger.Calendar, start ledger.Date) ledger.Date {
			return nextWorkday(cal, start).AddDays(-followUpDays)
		}},
}

// caseRows reads the embedded ledger and re-dates it around start: every
// dated deadline moves by the days from the report date to start, so the
// case keeps its shape (what was due before the report is past, what came
// after is ahead), then story adjusts the rows the walkthrough needs.
func caseRows(cal ledger.Calendar, start ledger.Date) ([]ledger.Row, error) {
	res, err := importer.Read(bytes.NewReader(ledgerCSV), "dongguan-2021.csv", importer.Options{PlanYear: caseYear})
	if err != nil {
		return nil, fmt.Errorf("the embedded ledger: %w", err)
	}
	shift := caseDate.DaysUntil(start)
	seen := 0
	for i := range res.Rows {
		r := &res.Rows[i]
		if !r.Deadline.LongTerm && !r.Deadline.Date.IsZero() {
			r.Deadline.Date = r.Deadline.Date.AddDays(shift)
		}
		adj, ok := story[r.ProblemCode]
		if !ok {
			continue
		}
		seen++
		r.Status = adj.status
		if adj.due != nil {
			r.Deadline.Date = adj.due(cal, start)
		}
		if adj.clearProgress {
			r.Progress = ""
		}
		if adj.addProgress != "" {
			r.Progress += "\n" + adj.addProgress
		}
	}
	if seen != len(story) {
		return nil, fmt.Errorf("the embedded ledger lacks some of the story's tasks (%d of %d found)", seen, len(story))
	}
	return res.Rows, nil
}

// closeEarlier closes the tasks the story wants closed in the past, with
// the clock set back to that day (10:00) so the ledger dates the closure
// then, and forward again.
func closeEarlier(ctx context.Context, store *models.Store, clk *clock.Manual, cal ledger.Calendar, loc *time.Location) error {
	start := clk.Now()
	defer clk.Set(start)
	for code, adj := range story {
		if adj.closedOn == nil {
			continue
		}
		items, err := store.TaskItemsByCode(ctx, code)
		if err != nil || len(items) != 1 {
			return fmt.Errorf("close %s: %d tasks, %v", code, len(items), err)
		}
		clk.Set(adj.closedOn(cal, ledger.DateOf(start.In(loc))).StartIn(loc).Add(10 * time.Hour))
		ch := models.StatusChange{TaskID: items[0].ID, From: ledger.StatusPendingVerification, To: ledger.StatusClosed}
		if _, err := store.ChangeStatus(ctx, ch, sandboxActor); err != nil {
			return fmt.Errorf("close %s: %w", code, err)
		}
	}
	return nil
}

// sandboxActor signs the sandbox's own changes in the audit trail.
var sandboxActor = models.Actor{Label: "sandbox"}

// seed imports the case unless the database has a ledger already (a kept
// --data folder) and the second unit's ledger unless it is there, adds the
// personas no ledger names, then links the personas and registers the
// group (Dongguan's). It returns the persona keys' person ids.
func seed(ctx context.Context, store *models.Store, clk *clock.Manual, cal ledger.Calendar, loc *time.Location) (map[string]uint, error) {
	start := ledger.DateOf(clk.Now().In(loc))
	var plans int64
	if err := store.DB().WithContext(ctx).Model(&models.Plan{}).Count(&plans).Error; err != nil {
		return nil, fmt.Errorf("look for a ledger: %w", err)
	}
	if plans == 0 {
		rows, err := caseRows(cal, start)
		if err != nil {
			return nil, err
		}
		shift := caseDate.DaysUntil(start)
		spec := models.PlanSpec{Title: planTitle, Team: "市委第六巡察组", Unit: dongguanUnit, UnitShort: dongguanShort,
			UnitSelf: "我委", FeedbackDate: feedbackDate.AddDays(shift), TimeZone: models.DefaultTimeZone, Year: start.Year}
		if _, err := store.ImportPlan(ctx, spec, rows, sandboxActor, false); err != nil {
			return nil, fmt.Errorf("import the case: %w", err)
		}
		if err := closeEarlier(ctx, store, clk, cal, loc); err != nil {
			return nil, err
		}
	}
	if err := seedSecondUnit(ctx, store, start); err != nil {
		return nil, err
	}
	if err := addPersonas(ctx, store); err != nil {
		return nil, err
	}
	ids := map[string]uint{}
	for _, p := range personas {
		id, err := link(ctx, store, p)
		if err != nil {
			return nil, err
		}
		ids[p.Key] = id
	}
	unit, err := groupUnit(ctx, store)
	if err != nil {
		return nil, err
	}
	g := models.GroupSettings{ChatID: groupID, Title: groupTitle, Digests: true, Closures: true, Escalations: true, UnitID: unit}
	if err := store.SaveGroup(ctx, g, sandboxActor); err != nil {
		return nil, err
	}
	return ids, nil
}

// link makes the persona a linked Telegram user the way a real one becomes
// one, an invite redeemed, without the /start message (the chats open
// empty). A persona linked already (a kept --data ledger) is looked up.
func link(ctx context.Context, store *models.Store, p Persona) (uint, error) {
	m, err := store.MemberByTelegram(ctx, p.UserID)
	switch {
	case err == nil:
		return m.Person.ID, nil
	case !errors.Is(err, models.ErrNotFound):
		return 0, fmt.Errorf("look up %s: %w", p.Name, err)
	}
	code, _, err := store.CreateInvite(ctx, models.PersonRef{Name: p.Name, Unit: p.Unit}, p.Role, time.Hour, sandboxActor)
	if err != nil {
		return 0, fmt.Errorf("invite %s: %w", p.Name, err)
	}
	person, err := store.RedeemInvite(ctx, code, p.UserID)
	if err != nil {
		return 0, fmt.Errorf("link %s: %w", p.Name, err)
	}
	return person.ID, nil
}

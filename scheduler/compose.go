package scheduler

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// collect recomputes, from the ledger, what is due for w at now and not
// told yet.
func (n *Notifier) collect(ctx context.Context, w who, now time.Time) ([]Due, map[uint]models.DueTask, error) {
	tasks := map[uint]models.DueTask{}
	var dues []Due
	add := func(f models.DueFilter, kinds ...Kind) error {
		list, err := n.Store.DueTasks(ctx, f)
		if err != nil {
			return err
		}
		for _, t := range list {
			st := stateOf(t)
			loc := zone(st.Location)
			dayStart := ledger.DateOf(now.In(loc)).StartIn(loc)
			for _, d := range Plan(n.Settings, st, dayStart, now.Add(time.Second)) {
				if slicesContains(kinds, d.Kind) {
					tasks[t.ID] = t
					dues = append(dues, d)
				}
			}
		}
		return nil
	}
	if w.personID != nil && w.actor.Has(ledger.RoleOfficer) {
		if err := add(models.DueFilter{OfficerID: *w.personID}, KindReminder, KindOverdue, KindCheckIn, KindFollowUp); err != nil {
			return nil, nil, err
		}
	}
	if w.personID != nil && w.actor.Has(ledger.RoleLeader) {
		if err := add(models.DueFilter{LeaderID: *w.personID, LedDepartments: w.actor.LedDepartmentIDs}, KindEscalateLeader); err != nil {
			return nil, nil, err
		}
	}
	if w.admin {
		// A unit's admin hears their unit's late tasks only; the office
		// above the units (UnitID 0) hears every unit's.
		if err := add(models.DueFilter{UnitID: w.actor.UnitID}, KindEscalateAdmins); err != nil {
			return nil, nil, err
		}
	}
	keys := make([]string, len(dues))
	for i, d := range dues {
		keys[i] = d.UniqueKey()
	}
	told, err := n.Store.Notified(ctx, keys)
	if err != nil {
		return nil, nil, err
	}
	fresh := dues[:0]
	seen := map[string]bool{}
	for _, d := range dues {
		if k := d.UniqueKey(); !told[k] && !seen[k] {
			seen[k] = true
			fresh = append(fresh, d)
		}
	}
	sortDues(fresh)
	return fresh, tasks, nil
}

func stateOf(t models.DueTask) TaskState {
	loc, err := loadZone(t.TimeZone)
	if err != nil {
		loc, _ = loadZone(models.DefaultTimeZone)
	}
	st := TaskState{TaskID: t.ID, Status: t.Status, Deadline: t.Deadline, LongTerm: t.LongTerm, Location: loc}
	if t.LongTerm {
		st.Recurrence, _ = ledger.ParseRecurrence(t.Recurrence)
	}
	if t.ClosedAt != nil {
		st.ClosedOn = ledger.DateOf(t.ClosedAt.In(loc))
	}
	return st
}

func slicesContains(kinds []Kind, k Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

var renderKind = map[Kind]render.ReminderKind{
	KindReminder: render.RemindDue, KindOverdue: render.RemindOverdue, KindCheckIn: render.RemindCheckIn,
	KindEscalateLeader: render.RemindEscalateLeader, KindEscalateAdmins: render.RemindEscalateAdmins,
}

// sendReminder sends one page of a person's due items: a calm list, red
// first, a row of buttons per task, and a delivery naming every task so a
// reply can be recorded against one of them.
func (n *Notifier) sendReminder(ctx context.Context, w who, loc *render.Localizer, page []Due, tasks map[uint]models.DueTask, now time.Time, pageNo int) error {
	var items []render.ReminderItem
	var ids []uint
	var kb outbound.Keyboard
	listed := map[uint]bool{}
	for _, d := range page {
		t := tasks[d.TaskID]
		scope := t.Scope()
		it := render.ReminderItem{Kind: renderKind[d.Kind], Code: t.Code, Title: t.Title, Deadline: t.Deadline, Days: d.Offset,
			Department: t.Department, Officer: t.Officer, MayReport: ledger.AskedToReport(w.actor, &scope)}
		if d.Kind == KindOverdue || d.Kind == KindEscalateLeader || d.Kind == KindEscalateAdmins {
			// Counted on the day it is sent, as the task card counts: a
			// caught-up notice is later than the day it was planned for.
			today := ledger.DateOf(now.In(zone(stateOf(t).Location)))
			it.Late = ledger.LatenessOn(n.Settings.WorkCalendar(), t.Deadline, today)
		}
		if d.Kind == KindCheckIn {
			r, _ := ledger.ParseRecurrence(t.Recurrence)
			it.Rhythm = r.Chinese()
			if loc.Lang() == render.LangEn {
				it.Rhythm = r.String()
			}
		}
		items = append(items, it)
		if listed[t.ID] {
			continue
		}
		listed[t.ID] = true
		ids = append(ids, t.ID)
		row := []outbound.Button{{Text: lightOf(d.Kind) + " " + t.Code + " " + loc.T("button_open", nil), Data: outbound.Data(outbound.PrefixOpenTask, t.ID, "")}}
		if d.Kind == KindReminder || d.Kind == KindOverdue || d.Kind == KindCheckIn {
			row = append(row, outbound.Button{Text: "📝 " + loc.T("button_report", nil), Data: outbound.Data(outbound.PrefixReport, t.ID, "")})
		}
		kb = append(kb, row)
	}
	name := w.name
	if name == "" {
		name = loc.T("role_admin", nil)
	}
	kind := outbound.KindReminder
	if page[0].Kind == KindEscalateLeader || page[0].Kind == KindEscalateAdmins {
		kind = outbound.KindEscalation
	}
	key := fmt.Sprintf("notify:%d:%s:%d", w.telegramID, page[0].At.UTC().Format(time.RFC3339), pageNo)
	msg := outbound.Message{ChatID: w.telegramID, Text: render.Reminder(loc, name, items), Keyboard: kb,
		Kind: kind, PersonID: w.personID, TaskIDs: ids, Key: key, Deferrable: true}
	return n.deliver(ctx, w, msg, page)
}

func (n *Notifier) sendFollowUp(ctx context.Context, w who, loc *render.Localizer, d Due, t models.DueTask) error {
	closedOn := stateOf(t).ClosedOn
	kb := outbound.Keyboard{{
		{Text: "⚠️ " + loc.T("button_followup_yes", nil), Data: outbound.Data(outbound.PrefixFollowUp, t.ID, "yes")},
		{Text: "✅ " + loc.T("button_followup_no", nil), Data: outbound.Data(outbound.PrefixFollowUp, t.ID, "no")},
	}}
	msg := outbound.Message{ChatID: w.telegramID, Text: render.FollowUp(loc, t.Code, t.Title, closedOn), Keyboard: kb,
		Kind: outbound.KindFollowUp, PersonID: w.personID, TaskIDs: []uint{t.ID}, Key: "followup:" + d.UniqueKey(), Deferrable: true}
	return n.deliver(ctx, w, msg, []Due{d})
}

// deliver sends m unless a message with its key went out already (the job
// ran again after a crash between the send and the record), then records
// the due items as told.
func (n *Notifier) deliver(ctx context.Context, w who, m outbound.Message, dues []Due) error {
	done, err := n.Store.Delivered(ctx, m.Key)
	if err != nil {
		return err
	}
	if !done {
		if _, err := n.Out.Send(ctx, m); err != nil {
			return err
		}
	}
	rows := make([]models.Notification, len(dues))
	for i, d := range dues {
		rows[i] = models.Notification{DueKey: d.UniqueKey(), TaskID: d.TaskID, PersonID: w.personID, Kind: string(d.Kind),
			Day: models.DateOf(d.Day), DeliveryKey: m.Key}
	}
	return n.Store.RecordNotified(ctx, rows)
}

func lightOf(k Kind) string {
	switch k {
	case KindOverdue, KindEscalateLeader, KindEscalateAdmins:
		return "🔴"
	case KindCheckIn:
		return "🔁"
	}
	return "🟡"
}

// zones caches the plans' time zones by name: time.LoadLocation reads and
// parses the zoneinfo file at every call, which was a tenth of planning
// every task at startup. A *time.Location is safe for concurrent use.
var zones sync.Map // string → *time.Location

func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

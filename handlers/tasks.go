package handlers

import (
	"context"
	"sort"
	"time"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// tasksPerPage keeps a page of /tasks well inside one message and its
// buttons on one screen.
const tasksPerPage = 8

// tasks is /tasks: the person's tasks, red first, each with a button.
func (h *Handler) tasks(ctx context.Context, r *request, _ string) error {
	text, kb, err := h.tasksPage(ctx, r, 0)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	_, err = h.send(ctx, r, outbound.Message{Text: text, Keyboard: kb, Kind: outbound.KindTaskList})
	return err
}

// onTasksPage turns the page of a /tasks message in place.
func (h *Handler) onTasksPage(ctx context.Context, r *request, c callbackData) error {
	text, kb, err := h.tasksPage(ctx, r, int(c.ID))
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	h.answer(ctx, r, "")
	return h.edit(ctx, r, text, kb)
}

func (h *Handler) tasksPage(ctx context.Context, r *request, page int) (string, outbound.Keyboard, error) {
	a := r.actor
	if !a.Has(ledger.RoleOfficer) && !a.Has(ledger.RoleLeader) && !a.Has(ledger.RoleAdmin) {
		return r.t("tasks_not_for_you", nil), nil, nil
	}
	items, err := h.d.Store.TasksFor(ctx, a)
	if err != nil {
		return "", nil, err
	}
	if len(items) == 0 {
		return r.t("tasks_none", nil), nil, nil
	}
	today := h.today(nil)
	sortRedFirst(items, today, h.d.Light)
	pages := (len(items) + tasksPerPage - 1) / tasksPerPage
	page = min(max(page, 0), pages-1)
	lines := []string{"<b>" + r.t("tasks_title", map[string]any{"Count": len(items)}) + "</b>"}
	var kb outbound.Keyboard
	shown := items[page*tasksPerPage : min(len(items), (page+1)*tasksPerPage)]
	labels, err := h.planLabels(ctx, shown)
	if err != nil {
		return "", nil, err
	}
	for _, it := range shown {
		who := ""
		if r.member == nil || it.OfficerID != r.member.Person.ID {
			who = it.Department + " " + it.Officer
		}
		li := listItem(it, who)
		li.Plan = labels[it.PlanID]
		lines = append(lines, render.TaskLine(r.loc, li, today, h.d.Calendar, h.d.Light))
		kb = append(kb, []outbound.Button{{Text: light(it, today, h.d.Light) + " " + withPlan(it.Code, labels, it.PlanID) + " " + short(it.Title, 24), Data: cb(cbOpenTask, it.ID, "")}})
	}
	if pages > 1 {
		lines = append(lines, r.t("page_of", map[string]any{"Page": page + 1, "Pages": pages}))
		kb = append(kb, pageButtons(r, page, pages, func(p int) string { return cb(cbTasksPage, uint(p), "") }))
	}
	return joinLines(lines), kb, nil
}

// sortRedFirst orders tasks by light (red, yellow, green), then by deadline,
// long-term and closed last.
func sortRedFirst(items []dbmodels.TaskItem, today ledger.Date, th ledger.LightThresholds) {
	rank := map[ledger.Light]int{ledger.LightRed: 0, ledger.LightYellow: 1, ledger.LightGreen: 2}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		la, lb := rank[ledger.LightOf(a.Status, a.Deadline, today, th)], rank[ledger.LightOf(b.Status, b.Deadline, today, th)]
		if la != lb {
			return la < lb
		}
		if (a.Status == ledger.StatusClosed) != (b.Status == ledger.StatusClosed) {
			return b.Status == ledger.StatusClosed
		}
		if a.Deadline.IsZero() != b.Deadline.IsZero() {
			return b.Deadline.IsZero()
		}
		return a.Deadline.Before(b.Deadline)
	})
}

func listItem(it dbmodels.TaskItem, who string) render.ListItem {
	dl := ledger.Deadline{Date: it.Deadline, LongTerm: it.LongTerm, Recurrence: ledger.DefaultRecurrence}
	return render.ListItem{Code: it.Code, Title: it.Title, Status: it.Status, Deadline: dl, Who: who}
}

func light(it dbmodels.TaskItem, today ledger.Date, th ledger.LightThresholds) string {
	return render.LightEmoji(ledger.LightOf(it.Status, it.Deadline, today, th))
}

// short trims a button label (Telegram shows about 30 characters).
func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// today is the current day in the plan's zone (the default zone without a
// plan).
func (h *Handler) today(loc *time.Location) ledger.Date {
	if loc == nil {
		loc = defaultZone()
	}
	return ledger.DateOf(h.d.Clock.Now().In(loc))
}

func defaultZone() *time.Location {
	if loc, err := time.LoadLocation(dbmodels.DefaultTimeZone); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// zone loads a plan's time zone by name.
func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return defaultZone()
}

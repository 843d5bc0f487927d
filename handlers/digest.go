package handlers

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// digest is /digest [department]: where things stand, at once. In a group
// it answers only if the group subscribed to digests, and only for the
// departments it covers.
func (h *Handler) digest(ctx context.Context, r *request, department string) error {
	filter := dbmodels.DigestFilter{Department: strings.TrimSpace(department)}
	if r.private {
		if err := ledger.Authorize(r.actor, ledger.ActViewDigest, nil); err != nil {
			return h.say(ctx, r, r.t("not_allowed", nil))
		}
		if filter.Department == "" && r.actor.UnitID == 0 {
			if sent, err := h.digestAsOverview(ctx, r); sent || err != nil {
				return err
			}
		}
		reach := ledger.ReadReach(r.actor)
		filter.Reach = &reach
		if ok, err := h.departmentInReach(ctx, reach, filter.Department); err != nil {
			return h.fail(ctx, r, err)
		} else if !ok {
			return h.say(ctx, r, r.t("digest_department_outside", map[string]any{"Department": esc(filter.Department)}))
		}
	} else {
		g, err := h.d.Store.Group(ctx, r.chatID)
		switch {
		case errors.Is(err, dbmodels.ErrNotFound):
			h.auditRefusal(ctx, r)
			return h.say(ctx, r, r.t("group_not_registered", nil))
		case err != nil:
			return h.fail(ctx, r, err)
		case !g.Digests:
			return h.say(ctx, r, r.t("group_no_digests", nil))
		case len(g.DepartmentIDs) > 0:
			return h.groupDigests(ctx, r, g, filter.Department)
		}
		if g.UnitID != 0 {
			// A unit's group hears of its unit only.
			filter.Reach = &ledger.Reach{Units: []uint{g.UnitID}, All: true}
		} else if filter.Department == "" {
			if sent, err := h.groupOverview(ctx, r); sent || err != nil {
				return err
			}
		}
	}
	return h.sendDigest(ctx, r, filter)
}

// digestAsOverview answers /digest with the ranking of the units (as
// /overview) for a person above the units who reads several — a 巡察办's
// digest of every unit merged would be thousands of lines and answer
// nothing; each unit opens to its own digest from the ranking. It reports
// whether it answered: with one unit installed, or for one who may not
// read the overview, /digest is the digest.
func (h *Handler) digestAsOverview(ctx context.Context, r *request) (bool, error) {
	if ledger.Authorize(r.actor, ledger.ActViewOverview, nil) != nil {
		return false, nil
	}
	reach := ledger.ReadReach(r.actor)
	if reach.Units != nil && len(reach.Units) < 2 {
		return false, nil
	}
	if several, err := h.severalUnits(ctx, r); err != nil || !several {
		return false, err
	}
	return true, h.overview(ctx, r, "")
}

// groupOverview answers /digest in the supervisors' group (bound to no
// unit while there are several) with the ranking of every unit, as its
// scheduled digest is. It reports whether it answered.
func (h *Handler) groupOverview(ctx context.Context, r *request) (bool, error) {
	if units, err := h.d.Store.CountUnits(ctx); err != nil || units < 2 {
		return false, err
	}
	ov, err := h.d.Store.Overview(ctx, h.today(nil), nil, h.d.Light)
	if err != nil {
		return true, h.fail(ctx, r, err)
	}
	for _, page := range render.Paginate(render.OverviewBrief(ov, r.loc.Lang(), render.FormatHTML), render.FormatHTML, render.TelegramMaxText) {
		if _, err := h.send(ctx, r, outbound.Message{Text: page, Kind: outbound.KindDigest}); err != nil {
			return true, err
		}
	}
	return true, nil
}

// departmentInReach says whether a department asked for by name is one the
// person reads whole; "" (no filter) always is. A name that is no
// department is let through, to be answered "unknown" by the digest.
func (h *Handler) departmentInReach(ctx context.Context, reach ledger.Reach, name string) (bool, error) {
	if name == "" || reach.All {
		return true, nil
	}
	depts, err := h.d.Store.Departments(ctx)
	if err != nil {
		return false, err
	}
	// Several units may have a department of the name: it is in reach if
	// one of the person's units' is covered.
	for _, d := range depts {
		if d.Name == name && (reach.Units == nil || slices.Contains(reach.Units, d.UnitID)) && reach.CoversDepartment(d.ID) {
			return true, nil
		}
	}
	for _, d := range depts {
		if d.Name == name && (reach.Units == nil || slices.Contains(reach.Units, d.UnitID)) {
			return false, nil
		}
	}
	return true, nil
}

// groupDigests sends one digest per department a group covers. Two units
// may each have an 办公室: a department is named within its unit.
func (h *Handler) groupDigests(ctx context.Context, r *request, g dbmodels.GroupSettings, asked string) error {
	depts, err := h.d.Store.DepartmentsByID(ctx, g.DepartmentIDs)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	sent := false
	for _, d := range depts {
		if (g.UnitID != 0 && d.UnitID != g.UnitID) || (asked != "" && asked != d.Name) {
			continue
		}
		sent = true
		unit := &ledger.Reach{Units: []uint{d.UnitID}, All: true}
		if err := h.sendDigest(ctx, r, dbmodels.DigestFilter{Department: d.Name, Reach: unit}); err != nil {
			return err
		}
	}
	if !sent {
		return h.say(ctx, r, r.t("digest_department_unknown", map[string]any{"Department": esc(asked)}))
	}
	return nil
}

func (h *Handler) sendDigest(ctx context.Context, r *request, filter dbmodels.DigestFilter) error {
	d, err := h.d.Store.Digest(ctx, filter, h.today(nil), h.d.Light)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	if filter.Department != "" && d.Total == 0 {
		return h.say(ctx, r, r.t("digest_department_unknown", map[string]any{"Department": esc(filter.Department)}))
	}
	d.Calendar = h.d.Calendar
	pages := render.DigestPages(d, r.loc.Lang(), render.FormatHTML, render.TelegramMaxText)
	for i, page := range pages {
		m := outbound.Message{Text: page, Kind: outbound.KindDigest}
		if i == len(pages)-1 {
			m.Keyboard = h.dashboardRow(r, nil)
		}
		if _, err := h.send(ctx, r, m); err != nil {
			return err
		}
	}
	return nil
}

// dashboardRow adds the 整改看板 button (the Mini App) to kb, in a private
// chat when the installation has a Mini App URL: Telegram opens Mini App
// buttons in private chats only.
func (h *Handler) dashboardRow(r *request, kb outbound.Keyboard) outbound.Keyboard {
	if h.d.MiniAppURL == "" || !r.private {
		return kb
	}
	return append(kb, []outbound.Button{{Text: r.t("button_dashboard", nil), WebApp: h.d.MiniAppURL}})
}

// overdue is /overdue: the late tasks, days late and who is responsible.
func (h *Handler) overdue(ctx context.Context, r *request, _ string) error {
	if err := ledger.Authorize(r.actor, ledger.ActViewOverdue, nil); err != nil {
		return h.say(ctx, r, r.t("not_allowed", nil))
	}
	reach := ledger.ReadReach(r.actor)
	d, err := h.d.Store.Digest(ctx, dbmodels.DigestFilter{Reach: &reach}, h.today(nil), h.d.Light)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	if len(d.OverdueList) == 0 {
		return h.say(ctx, r, r.t("overdue_none", nil))
	}
	lines := []string{"<b>" + r.t("overdue_title", map[string]any{"Count": len(d.OverdueList)}) + "</b>"}
	var ids []uint
	for _, t := range d.OverdueList {
		lines = append(lines, "🔴 <b>"+esc(t.Code)+"</b> "+r.t("overdue_line", map[string]any{
			"Title": esc(short(t.Title, 30)), "Late": render.OverdueOn(r.loc, h.d.Calendar, t.Deadline, d.AsOf),
			"Department": esc(t.Department), "Officer": esc(t.Officer), "Leader": esc(t.Leader),
		}))
		ids = append(ids, t.TaskID)
	}
	for _, page := range render.Paginate(joinLines(lines), render.FormatHTML, render.TelegramMaxText) {
		if _, err := h.send(ctx, r, outbound.Message{Text: page, Kind: outbound.KindOverdue, TaskIDs: ids}); err != nil {
			return err
		}
	}
	return nil
}

package handlers

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

// Toggles of the /group panel (the arg of "g:<department>:<toggle>").
const (
	toggleDigests     = "d"
	toggleClosures    = "c"
	toggleEscalations = "e"
	toggleDepartment  = "dep" // g:0:dep clears the choice: every department
)

// maxDepartmentButtons keeps the panel under Telegram's 100 buttons per
// message (four rows are the subscriptions and "all departments").
const maxDepartmentButtons = 90

// group is /group [UNIT] in a group: an admin of the ledger registers the
// group and gets its switches. Only the ledger's admins (linked or
// configured) may: Telegram's own group admins are not people of the
// ledger. A group follows one unit (see bindGroup) and hears of it only.
func (h *Handler) group(ctx context.Context, r *request, arg string) error {
	if !mayManageGroups(r) {
		return h.say(ctx, r, r.t("group_admin_only", nil))
	}
	g, err := h.d.Store.Group(ctx, r.chatID)
	isNew := errors.Is(err, dbmodels.ErrNotFound)
	switch {
	case isNew:
		// Digests and closures are what a working group expects; escalations
		// name people who are late, so a group opts in to them.
		g = dbmodels.GroupSettings{ChatID: r.chatID, Digests: true, Closures: true}
	case err != nil:
		return h.fail(ctx, r, err)
	case !groupIsTheirs(r, g):
		return h.say(ctx, r, r.t("group_not_your_unit", nil))
	}
	several, err := h.d.Store.CountUnits(ctx)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	rebound, refusal, err := h.bindGroup(ctx, r, &g, isNew, strings.TrimSpace(arg), several > 1)
	switch {
	case err != nil:
		return h.fail(ctx, r, err)
	case refusal != "":
		return h.say(ctx, r, refusal)
	}
	// Save only what changed: running /group again to see the panel should
	// not fill the audit trail.
	if isNew || rebound || g.Title != r.chatTitle {
		g.Title = r.chatTitle
		if err := h.d.Store.SaveGroup(ctx, g, r.auditActor()); err != nil {
			return h.fail(ctx, r, err)
		}
		if g, err = h.d.Store.Group(ctx, r.chatID); err != nil {
			return h.fail(ctx, r, err)
		}
	}
	depts, err := h.groupDepartments(ctx, g, several > 1)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	text, kb := groupPanel(r, g, depts, isNew, groupUnitLine(r, g, several > 1))
	_, err = h.send(ctx, r, outbound.Message{Text: text, Keyboard: kb, Kind: outbound.KindGroupSettings})
	return err
}

// groupIsTheirs reports whether the admin may change the group: a unit's
// admin only their unit's groups, the installation's admins every group.
func groupIsTheirs(r *request, g dbmodels.GroupSettings) bool {
	return r.actor.UnitID == 0 || g.UnitID == r.actor.UnitID
}

func mayManageGroups(r *request) bool {
	return ledger.Authorize(r.actor, ledger.ActManageGroups, nil) == nil
}

// onGroupToggle flips one switch, saves, and redraws the panel in place.
// Anyone else pressing gets a notice and changes nothing.
func (h *Handler) onGroupToggle(ctx context.Context, r *request, c callbackData) error {
	if r.private {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	if !mayManageGroups(r) {
		h.answer(ctx, r, r.t("group_admin_only", nil))
		return nil
	}
	g, err := h.d.Store.Group(ctx, r.chatID)
	if errors.Is(err, dbmodels.ErrNotFound) {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	if err == nil && !groupIsTheirs(r, g) {
		h.answer(ctx, r, r.t("group_not_your_unit", nil))
		return nil
	}
	several := 0
	if err == nil {
		several, err = h.d.Store.CountUnits(ctx)
	}
	var depts []dbmodels.Department
	if err == nil {
		depts, err = h.groupDepartments(ctx, g, several > 1)
	}
	if err != nil {
		h.d.Log.ErrorContext(ctx, "load group", slog.Any("err", err))
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	if !applyToggle(&g, c, depts) {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	g.Title = r.chatTitle
	if err := h.d.Store.SaveGroup(ctx, g, r.auditActor()); err != nil {
		h.d.Log.ErrorContext(ctx, "save group", slog.Any("err", err))
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	h.answer(ctx, r, r.t("group_saved", nil))
	text, kb := groupPanel(r, g, depts, false, groupUnitLine(r, g, several > 1))
	return h.edit(ctx, r, text, kb)
}

// applyToggle changes g as the press asks; false for data the panel never
// offers (a forged or stale department).
func applyToggle(g *dbmodels.GroupSettings, c callbackData, depts []dbmodels.Department) bool {
	if c.Arg != toggleDepartment && c.ID != 0 {
		return false
	}
	switch c.Arg {
	case toggleDigests:
		g.Digests = !g.Digests
	case toggleClosures:
		g.Closures = !g.Closures
	case toggleEscalations:
		g.Escalations = !g.Escalations
	case toggleDepartment:
		if c.ID == 0 {
			g.DepartmentIDs = nil
			return true
		}
		if !slices.ContainsFunc(depts, func(d dbmodels.Department) bool { return d.ID == c.ID }) {
			return false
		}
		if i := slices.Index(g.DepartmentIDs, c.ID); i >= 0 {
			g.DepartmentIDs = slices.Delete(g.DepartmentIDs, i, i+1)
		} else {
			g.DepartmentIDs = append(g.DepartmentIDs, c.ID)
			slices.Sort(g.DepartmentIDs)
		}
	default:
		return false
	}
	return true
}

// groupPanel shows what the group receives, as text and as ✅/⬜ buttons.
func groupPanel(r *request, g dbmodels.GroupSettings, depts []dbmodels.Department, isNew bool, unitLine string) (string, outbound.Keyboard) {
	lines := []string{"<b>" + r.t("group_title", nil) + "</b>"}
	if isNew {
		lines = append(lines, r.t("group_registered", map[string]any{"Title": esc(g.Title)}))
	}
	if unitLine != "" {
		lines = append(lines, unitLine)
	}
	lines = append(lines, r.t("group_hint", nil), "")
	for _, s := range []struct {
		on bool
		id string
	}{{g.Digests, "group_digests"}, {g.Closures, "group_closures"}, {g.Escalations, "group_escalations"}} {
		lines = append(lines, check(s.on)+" "+r.t(s.id, nil))
	}
	var covered []string
	for _, d := range depts {
		if slices.Contains(g.DepartmentIDs, d.ID) {
			covered = append(covered, esc(short(d.Name, 20)))
		}
	}
	scope := r.t("group_all_departments", nil)
	if len(covered) > 0 {
		scope = joinList(r, covered)
	}
	lines = append(lines, r.t("group_scope", map[string]any{"Departments": scope}))

	kb := outbound.Keyboard{
		{{Text: check(g.Digests) + " " + r.t("group_digests", nil), Data: cb(cbGroup, 0, toggleDigests)}},
		{{Text: check(g.Closures) + " " + r.t("group_closures", nil), Data: cb(cbGroup, 0, toggleClosures)}},
		{{Text: check(g.Escalations) + " " + r.t("group_escalations", nil), Data: cb(cbGroup, 0, toggleEscalations)}},
		{{Text: check(len(g.DepartmentIDs) == 0) + " " + r.t("group_all_departments", nil), Data: cb(cbGroup, 0, toggleDepartment)}},
	}
	var row []outbound.Button
	for _, d := range depts[:min(len(depts), maxDepartmentButtons)] {
		on := slices.Contains(g.DepartmentIDs, d.ID)
		row = append(row, outbound.Button{Text: check(on) + " " + short(d.Name, 14), Data: cb(cbGroup, d.ID, toggleDepartment)})
		if len(row) == 2 {
			kb, row = append(kb, row), nil
		}
	}
	if len(row) > 0 {
		kb = append(kb, row)
	}
	return joinLines(lines), kb
}

func check(on bool) string {
	if on {
		return "✅"
	}
	return "⬜"
}

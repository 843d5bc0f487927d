package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// exportMaxPlans is the most files one /export sends unasked: a 巡察办
// reading a province's units names the plan it wants.
const exportMaxPlans = 5

// export is /export [plan]: the ledger as an .xlsx laid out as the office
// keeps it (titled with the unit, 截至 today), one file and one sheet per
// plan.
func (h *Handler) export(ctx context.Context, r *request, planRef string) error {
	if err := ledger.Authorize(r.actor, ledger.ActExport, nil); err != nil {
		return h.say(ctx, r, r.t("not_allowed", nil))
	}
	var plans []dbmodels.Plan
	if planRef != "" {
		p, err := h.d.Store.FindPlan(ctx, planRef)
		if errors.Is(err, dbmodels.ErrNotFound) {
			return h.say(ctx, r, r.t("plan_unknown", map[string]any{"Plan": esc(planRef)}))
		}
		if err != nil {
			return h.fail(ctx, r, err)
		}
		plans = []dbmodels.Plan{p}
	} else {
		var err error
		if plans, err = h.d.Store.Plans(ctx); err != nil {
			return h.fail(ctx, r, err)
		}
	}
	// Only the plans of the person's units are read: a unit's admin at
	// province scale would otherwise load every unit's ledger to send one.
	plans = inReach(r, plans)
	if len(plans) == 0 {
		return h.say(ctx, r, r.t("no_plans", nil))
	}
	if planRef == "" && len(plans) > exportMaxPlans {
		return h.say(ctx, r, r.t("export_name_plan", map[string]any{"Count": len(plans)}))
	}
	if err := h.d.Out.ChatAction(ctx, r.chatID, "upload_document"); err != nil {
		h.d.Log.WarnContext(ctx, "chat action", "err", err)
	}
	sent := false
	reach := ledger.ReadReach(r.actor)
	for _, p := range plans {
		all, err := h.d.Store.LedgerRows(ctx, p.ID)
		if err != nil {
			return h.fail(ctx, r, err)
		}
		// A leader's 台账 is the departments they lead (SPEC §1).
		var rows []dbmodels.LedgerRow
		for _, row := range all {
			if reach.Covers(p.UnitID, row.DepartmentID, row.LeaderID) {
				rows = append(rows, row)
			}
		}
		if len(rows) == 0 {
			continue
		}
		sent = true
		today := ledger.DateOf(h.d.Clock.Now().In(p.Location()))
		out := make([]render.ExportRow, len(rows))
		for i, row := range rows {
			out[i] = render.ExportRow{Row: row.Row, MeasuresDone: row.MeasuresDone, DeadlineMoves: row.DeadlineMoves,
				ClosedOn: row.ClosedOn, ClosedBy: row.ClosedBy, Evidence: row.Evidence,
				Light: ledger.LightOf(row.Status, row.Deadline.Date, today, h.d.Light)}
		}
		unit, err := h.d.Store.LedgerUnitName(ctx, p)
		if err != nil {
			return h.fail(ctx, r, err)
		}
		var buf bytes.Buffer
		if err := render.WriteXLSX(&buf, p.Title, out, render.XLSXOptions{Unit: unit, AsOf: today}); err != nil {
			return h.fail(ctx, r, err)
		}
		name := fmt.Sprintf("整改台账-%s-%s.xlsx", fileSafe(p.Title), today)
		caption := r.t("export_caption", map[string]any{"Plan": esc(p.Title), "Count": len(rows), "Date": r.loc.Date(today)})
		if _, err := h.d.Out.SendDocument(ctx, outbound.Document{ChatID: r.chatID, FileName: name, Data: buf.Bytes(),
			Caption: caption, Kind: outbound.KindExport, PersonID: r.personID()}); err != nil {
			return h.fail(ctx, r, err)
		}
	}
	if !sent {
		return h.say(ctx, r, r.t("no_plans", nil))
	}
	return nil
}

// fileSafe keeps a plan title usable in a file name.
func fileSafe(s string) string {
	out := []rune{}
	for _, r := range s {
		switch r {
		case '/', '\\', ':', '*', '?', '"', '<', '>', '|', '\n', '\r', '\t':
			r = '_'
		}
		out = append(out, r)
		if len(out) == 60 {
			break
		}
	}
	return string(out)
}

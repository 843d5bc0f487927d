package handlers

// /result: the office records the results of the rectification (整改成效)
// the reports carry — rules made, funds recovered, people held
// accountable, clues handed over — as `rectibot results add` does.

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// resultKindWords are the words an office types for each kind.
var resultKindWords = map[string]dbmodels.ResultKind{
	"制度": dbmodels.ResultRules, "制度建设": dbmodels.ResultRules, "rules": dbmodels.ResultRules,
	"资金": dbmodels.ResultFunds, "追回资金": dbmodels.ResultFunds, "funds": dbmodels.ResultFunds,
	"问责": dbmodels.ResultAccountability, "accountability": dbmodels.ResultAccountability,
	"线索": dbmodels.ResultClues, "线索移交": dbmodels.ResultClues, "clues": dbmodels.ResultClues,
}

// result is /result [KIND AMOUNT [CODE] [NOTE]]: without arguments the
// plan's figures and how to add one; with them, an entry added to the plan
// of the task named, or to the admin's only plan.
func (h *Handler) result(ctx context.Context, r *request, args string) error {
	if ledger.Authorize(r.actor, ledger.ActRecordResults, nil) != nil {
		return h.say(ctx, r, r.t("not_allowed", nil))
	}
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return h.resultTotals(ctx, r)
	}
	kind, ok := resultKindWords[strings.ToLower(fields[0])]
	if !ok || len(fields) < 2 {
		return h.say(ctx, r, r.t("result_usage", nil))
	}
	amount, err := dbmodels.ParseAmount(kind, fields[1])
	if err != nil {
		return h.say(ctx, r, r.t("result_bad_amount", map[string]any{"Amount": esc(fields[1]), "Unit": resultUnit(r, kind)}))
	}
	rest := fields[2:]
	plan, code, err := h.resultPlan(ctx, r, rest)
	switch {
	case errors.Is(err, errSeveralPlans):
		return h.say(ctx, r, r.t("result_code_in_plans", map[string]any{"Code": esc(code)}))
	case err != nil:
		return h.fail(ctx, r, err)
	}
	if code != "" {
		rest = rest[1:]
	}
	if plan == 0 {
		return h.say(ctx, r, r.t("result_which_plan", nil))
	}
	_, err = h.d.Store.AddResult(ctx, dbmodels.NewResult{PlanID: plan, TaskCode: code, Kind: kind, Amount: amount,
		Note: strings.Join(rest, " ")}, r.auditActor())
	switch {
	case errors.Is(err, dbmodels.ErrResultAmount):
		return h.say(ctx, r, r.t("result_below_zero", nil))
	case err != nil:
		return h.fail(ctx, r, err)
	}
	line := r.t("result_added", map[string]any{"Kind": resultKindName(r, kind), "Amount": amount.String(), "Unit": resultUnit(r, kind)})
	totals, err := h.resultLine(ctx, r, plan)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	return h.say(ctx, r, line+"\n"+totals)
}

// errSeveralPlans: the code names a task in several of the admin's plans.
var errSeveralPlans = errors.New("the task code is in several plans")

// resultPlan finds the plan an entry is for: the plan of the task whose
// code comes first in rest (a task the admin may see), else the admin's
// only plan; 0 when the admin has several and named no task, and
// errSeveralPlans when the code is in several of them.
func (h *Handler) resultPlan(ctx context.Context, r *request, rest []string) (plan uint, code string, err error) {
	if len(rest) > 0 {
		items, err := h.d.Store.TaskItemsByCode(ctx, normaliseCode(rest[0]))
		if err != nil {
			return 0, "", err
		}
		var found []dbmodels.TaskItem
		for _, it := range items {
			scope := it.Scope()
			if ledger.Authorize(r.actor, ledger.ActViewTask, &scope) == nil {
				found = append(found, it)
			}
		}
		switch len(found) {
		case 0: // not a code: the words are the note
		case 1:
			return found[0].PlanID, found[0].Code, nil
		default:
			return 0, found[0].Code, errSeveralPlans
		}
	}
	plans, err := h.plansInReach(ctx, r)
	if err != nil || len(plans) != 1 {
		return 0, "", err
	}
	return plans[0].ID, "", nil
}

// plansInReach are the plans of the person's units.
func (h *Handler) plansInReach(ctx context.Context, r *request) ([]dbmodels.Plan, error) {
	plans, err := h.d.Store.Plans(ctx)
	if err != nil {
		return nil, err
	}
	return inReach(r, plans), nil
}

// inReach keeps the plans of the person's units (all, above the units).
func inReach(r *request, plans []dbmodels.Plan) []dbmodels.Plan {
	reach := ledger.ReadReach(r.actor)
	return slices.DeleteFunc(plans, func(p dbmodels.Plan) bool {
		return reach.Units != nil && !slices.Contains(reach.Units, p.UnitID)
	})
}

// resultTotals answers a bare /result: each plan's figures, and how to add.
func (h *Handler) resultTotals(ctx context.Context, r *request) error {
	plans, err := h.plansInReach(ctx, r)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	var lines []string
	for _, p := range plans {
		totals, err := h.resultLine(ctx, r, p.ID)
		if err != nil {
			return h.fail(ctx, r, err)
		}
		lines = append(lines, "<b>"+esc(p.Title)+"</b>", totals)
	}
	return h.say(ctx, r, joinLines(append(lines, "", r.t("result_usage", nil))))
}

// resultLine is a plan's figures in one line, every kind (0 when none).
func (h *Handler) resultLine(ctx context.Context, r *request, plan uint) (string, error) {
	totals, err := h.d.Store.Results(ctx, plan)
	if err != nil {
		return "", err
	}
	sum := map[dbmodels.ResultKind]dbmodels.Amount{}
	for _, t := range totals {
		sum[t.Kind] = t.Amount
	}
	var parts []string
	for _, k := range dbmodels.ResultKinds {
		parts = append(parts, resultKindName(r, k)+" "+sum[k].String()+" "+resultUnit(r, k))
	}
	return r.t("result_totals", map[string]any{"Totals": strings.Join(parts, " · ")}), nil
}

// resultKindName and resultUnit say a kind of result in the person's
// language (models' Unit is the ledger's own, Chinese, for the documents
// and the CLI).
func resultKindName(r *request, k dbmodels.ResultKind) string {
	return r.t("result_kind_"+string(k), nil)
}

func resultUnit(r *request, k dbmodels.ResultKind) string {
	return r.t("result_unit_"+string(k), nil)
}

package handlers

import (
	"context"
	"fmt"
	"strconv"

	dbmodels "github.com/rectibot/rectibot/models"
)

// planLabelRunes keeps a plan's label short enough to leave room for the
// task's title on a button.
const planLabelRunes = 10

// planLabels names the plans of a list of tasks shortly — so that two plans'
// tasks with the same code and title can be told apart — when the list
// spans more than one plan; otherwise it is nil and nothing is added.
func (h *Handler) planLabels(ctx context.Context, items []dbmodels.TaskItem) (map[uint]string, error) {
	seen := map[uint]bool{}
	for _, it := range items {
		seen[it.PlanID] = true
	}
	if len(seen) < 2 {
		return nil, nil
	}
	all, err := h.d.Store.Plans(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan labels: %w", err)
	}
	var plans []dbmodels.Plan
	for _, p := range all {
		if seen[p.ID] {
			plans = append(plans, p)
		}
	}
	return planLabelsOf(plans), nil
}

// planLabelsOf labels each plan by the first of these that tells them all
// apart: its year, its shortened title, its title shortened after what all
// the titles share at their start, its id.
func planLabelsOf(plans []dbmodels.Plan) map[uint]string {
	prefix := commonPrefix(plans)
	candidates := []func(p dbmodels.Plan) string{
		func(p dbmodels.Plan) string { return strconv.Itoa(p.Year) },
		func(p dbmodels.Plan) string { return short(p.Title, planLabelRunes) },
		func(p dbmodels.Plan) string { return short(string([]rune(p.Title)[prefix:]), planLabelRunes) },
	}
	for _, label := range candidates {
		out := make(map[uint]string, len(plans))
		taken := map[string]bool{}
		for _, p := range plans {
			l := label(p)
			if l == "" || l == "0" || taken[l] {
				out = nil
				break
			}
			taken[l], out[p.ID] = true, l
		}
		if out != nil {
			return out
		}
	}
	out := make(map[uint]string, len(plans))
	for _, p := range plans {
		out[p.ID] = "#" + strconv.FormatUint(uint64(p.ID), 10)
	}
	return out
}

// commonPrefix is how many runes every plan title starts with alike.
func commonPrefix(plans []dbmodels.Plan) int {
	if len(plans) == 0 {
		return 0
	}
	first := []rune(plans[0].Title)
	n := len(first)
	for _, p := range plans[1:] {
		t := []rune(p.Title)
		i := 0
		for i < n && i < len(t) && t[i] == first[i] {
			i++
		}
		n = i
	}
	return n
}

// withPlan names the task's plan after its code when labels has one: the
// label comes before the title, which Telegram may cut on a narrow button.
func withPlan(code string, labels map[uint]string, planID uint) string {
	if l := labels[planID]; l != "" {
		return code + "【" + l + "】"
	}
	return code
}

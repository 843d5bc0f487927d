package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func TestResultAmountsAreReadAndWrittenAsTheOfficeTypesThem(t *testing.T) {
	for _, c := range []struct {
		kind models.ResultKind
		in   string
		want models.Amount
		text string
	}{
		{models.ResultRules, "19", 1900, "19"},
		{models.ResultFunds, "1.44", 144, "1.44"},
		{models.ResultFunds, "0.5", 50, "0.5"},
		{models.ResultFunds, "12", 1200, "12"},
		{models.ResultFunds, "-0.04", -4, "-0.04"},
		{models.ResultAccountability, " 3 ", 300, "3"},
		{models.ResultClues, "-1", -100, "-1"},
	} {
		got, err := models.ParseAmount(c.kind, c.in)
		if err != nil || got != c.want || got.String() != c.text {
			t.Errorf("%s %q: %d (%s), %v; want %d (%s)", c.kind, c.in, got, got, err, c.want, c.text)
		}
	}
	for _, c := range []struct {
		kind models.ResultKind
		in   string
	}{
		{models.ResultRules, "1.5"}, {models.ResultClues, "0.01"}, {models.ResultFunds, "1.444"},
		{models.ResultFunds, "0"}, {models.ResultFunds, "abc"}, {models.ResultFunds, ""}, {models.ResultFunds, "1."},
		{models.ResultFunds, "1,44"}, {models.ResultRules, "1e3"}, {models.ResultFunds, "9999999999999"},
	} {
		if _, err := models.ParseAmount(c.kind, c.in); !errors.Is(err, models.ErrResultAmount) {
			t.Errorf("%s %q: %v, want ErrResultAmount", c.kind, c.in, err)
		}
	}
	if _, err := models.ParseResultKind("money"); !errors.Is(err, models.ErrResultKind) {
		t.Errorf("kind money: %v", err)
	}
	if k, err := models.ParseResultKind(" Funds "); err != nil || k != models.ResultFunds {
		t.Errorf("kind Funds: %s, %v", k, err)
	}
}

// TestResultsAreSummedPerKind: entries of the plan and of its tasks are
// summed per kind, in report order, exactly (hundredths of 万元); a
// correction may not take a total below zero; a task of another plan, a
// zero or a fractional count is refused; each entry is audited.
func TestResultsAreSummedPerKind(t *testing.T) {
	e := newEnv(t)
	sum := e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	add := func(r models.NewResult) (models.Result, error) {
		r.PlanID = sum.PlanID
		return e.store.AddResult(ctx, r, models.CLIActor)
	}
	for _, r := range []models.NewResult{
		{Kind: models.ResultFunds, Amount: 10, TaskCode: "立行立改三", Note: "交通补助"},
		{Kind: models.ResultRules, Amount: 1200},
		{Kind: models.ResultFunds, Amount: 20, TaskCode: "立行立改三"},
		{Kind: models.ResultRules, Amount: 800, TaskCode: "9(1)"},
		{Kind: models.ResultFunds, Amount: 114},
		{Kind: models.ResultRules, Amount: -100, Note: "更正：重复录入"},
	} {
		if _, err := add(r); err != nil {
			t.Fatalf("%+v: %v", r, err)
		}
	}
	totals, err := e.store.Results(ctx, sum.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tot := range totals {
		got = append(got, string(tot.Kind)+"="+tot.Amount.String())
	}
	// 0.1 + 0.2 + 1.14 is exactly 1.44; the rules in report order first.
	if strings.Join(got, " ") != "rules=19 funds=1.44" || totals[0].Entries != 3 || totals[1].Entries != 3 {
		t.Errorf("totals %v (%+v)", got, totals)
	}
	entries, err := e.store.ResultEntries(ctx, sum.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 6 || entries[0].TaskCode != "立行立改三" || entries[0].Note != "交通补助" || entries[1].TaskCode != "" ||
		entries[0].Author != "cli" || entries[0].CreatedAt.IsZero() {
		t.Errorf("entries %+v", entries)
	}

	for name, c := range map[string]struct {
		r    models.NewResult
		want error
	}{
		"a correction below zero": {models.NewResult{Kind: models.ResultAccountability, Amount: -100}, models.ErrResultAmount},
		"zero":                    {models.NewResult{Kind: models.ResultClues}, models.ErrResultAmount},
		"half a rule":             {models.NewResult{Kind: models.ResultRules, Amount: 50}, models.ErrResultAmount},
		"a task not in the plan":  {models.NewResult{Kind: models.ResultClues, Amount: 100, TaskCode: "99"}, models.ErrNotFound},
		"an unknown kind":         {models.NewResult{Kind: "money", Amount: 100}, models.ErrResultKind},
	} {
		if _, err := add(c.r); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if _, err := e.store.AddResult(ctx, models.NewResult{PlanID: 999, Kind: models.ResultClues, Amount: 100}, models.CLIActor); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a plan that is not there: %v", err)
	}
	if n := e.count(t, &models.Result{}); n != 6 {
		t.Errorf("%d entries after the refusals, want 6", n)
	}
	if n := e.count(t, &models.AuditEvent{}, "action = ?", "result.added"); n != 6 {
		t.Errorf("%d result.added events, want 6", n)
	}
	if totals, _ := e.store.Results(ctx, 999); len(totals) != 0 {
		t.Errorf("a plan without results: %+v", totals)
	}
}

// TestPlanDetailsAreSetAndListed: the 巡察时间, the contact and the
// office's paragraphs are set (nil leaves a field), audited, and listed
// with the plan's unit and tasks; NoticeFacts gathers what the 通报 needs.
func TestPlanDetailsAreSetAndListed(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	from, to := ledger.MustDate(2020, 12, 8), ledger.MustDate(2021, 1, 8)
	contact, org := " 联系电话：0769-12345678 ", "成立整改工作领导小组。"
	p, err := e.store.SetPlanDetails(ctx, dongguanSpec.Title, models.PlanDetails{InspectedFrom: &from, InspectedTo: &to, Contact: &contact}, models.CLIActor)
	if err != nil {
		t.Fatal(err)
	}
	if p.InspectedFrom.Date != from || p.InspectedTo.Date != to || p.Contact != "联系电话：0769-12345678" {
		t.Errorf("set: %+v", p)
	}
	if _, err := e.store.SetPlanDetails(ctx, "1", models.PlanDetails{Organisation: &org}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	infos, err := e.store.PlanInfos(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 1 {
		t.Fatalf("%d plans", len(infos))
	}
	got := infos[0]
	if got.Title != dongguanSpec.Title || got.UnitName != dongguanSpec.Unit || got.Tasks != 25 || got.InspectedFrom.Date != from ||
		got.InspectedTo.Date != to || got.Contact != "联系电话：0769-12345678" || got.Organisation != org || got.Supervision != "" {
		t.Errorf("listed: %+v", got)
	}
	if n := e.count(t, &models.AuditEvent{}, "action = ?", "plan.details"); n != 2 {
		t.Errorf("%d plan.details events, want 2", n)
	}

	if _, err := e.store.SetPlanDetails(ctx, dongguanSpec.Title, models.PlanDetails{InspectedFrom: &to, InspectedTo: &from}, models.CLIActor); !errors.Is(err, models.ErrInspectionDates) {
		t.Errorf("an inspection ending before it starts: %v", err)
	}
	if _, err := e.store.SetPlanDetails(ctx, "没有这个方案", models.PlanDetails{Contact: &contact}, models.CLIActor); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a plan that is not there: %v", err)
	}

	facts, err := e.store.NoticeFacts(ctx, got.Plan)
	if err != nil {
		t.Fatal(err)
	}
	sixTwo := e.task(t, "6(2)").ID
	if facts.Unit.Name != dongguanSpec.Unit || len(facts.Latest) != 25 || !strings.Contains(facts.Latest[sixTwo].Text, "尚有2份未出台") ||
		facts.Latest[sixTwo].Source != models.SourceImport || len(facts.Changes) != 0 || len(facts.Results) != 0 {
		t.Errorf("facts: unit %+v, %d latest, %d changes, %d results", facts.Unit, len(facts.Latest), len(facts.Changes), len(facts.Results))
	}
	// A report through the bot is the latest afterwards.
	if _, err := e.store.AddProgress(ctx, models.NewProgress{TaskID: sixTwo, Text: "第36份已出台。", Source: models.SourceCommand}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	if facts, err = e.store.NoticeFacts(ctx, got.Plan); err != nil || facts.Latest[sixTwo].Text != "第36份已出台。" {
		t.Errorf("latest after a report: %+v, %v", facts.Latest[sixTwo], err)
	}
}

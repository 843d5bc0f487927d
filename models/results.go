package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ResultKind is a kind of result figure (整改成效) the 通报 and the 整改报告
// report: rules made, funds recovered, people held accountable, clues
// handed over.
type ResultKind string

// The result kinds, in the order the reports list them.
const (
	ResultRules          ResultKind = "rules"          // 新建、修订制度 (项)
	ResultFunds          ResultKind = "funds"          // 追回资金 (万元)
	ResultAccountability ResultKind = "accountability" // 问责 (人)
	ResultClues          ResultKind = "clues"          // 线索移交 (件)
)

// ResultKinds lists every kind in report order.
var ResultKinds = []ResultKind{ResultRules, ResultFunds, ResultAccountability, ResultClues}

// ErrResultKind refuses a kind that is none of ResultKinds.
var ErrResultKind = errors.New("unknown result kind: want rules, funds, accountability or clues")

// ErrResultAmount refuses an amount that is not a number of the kind's
// unit: zero, not a number, more than two decimals, a fraction of a whole
// count, or one that would take the plan's total below zero.
var ErrResultAmount = errors.New("bad result amount")

// ParseResultKind reads a kind's name.
func ParseResultKind(s string) (ResultKind, error) {
	k := ResultKind(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range ResultKinds {
		if k == known {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w (got %q)", ErrResultKind, s)
}

// Whole reports whether the kind counts whole things (项, 人, 件); only
// funds (万元) have decimals.
func (k ResultKind) Whole() bool { return k != ResultFunds }

// Unit is the kind's unit as the reports write it.
func (k ResultKind) Unit() string {
	switch k {
	case ResultRules:
		return "项"
	case ResultFunds:
		return "万元"
	case ResultAccountability:
		return "人"
	case ResultClues:
		return "件"
	}
	return ""
}

// Amount is a figure in hundredths of its kind's unit: 1.44万元 is 144,
// 19项 is 1900. Integers keep sums exact on both engines (see migration
// 00012); two decimals of 万元 (100元) are what the reports print.
type Amount int64

// ParseAmount reads a figure as the office types it ("19", "1.44",
// "-2" for a correction) for kind k.
func ParseAmount(k ResultKind, s string) (Amount, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, dotted := strings.Cut(digits, ".")
	bad := func(why string) (Amount, error) {
		return 0, fmt.Errorf("%w: %q %s", ErrResultAmount, s, why)
	}
	if whole == "" && frac == "" || !allDigits(whole) || !allDigits(frac) || dotted && frac == "" {
		return bad("is not a number")
	}
	if len(frac) > 2 {
		return bad("has more than two decimals")
	}
	if len(whole) > 12 {
		return bad("is too large")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return bad("is not a number")
	}
	switch {
	case n == 0:
		return bad("is zero")
	case k.Whole() && n%100 != 0:
		return bad("is not a whole number of " + k.Unit())
	}
	if neg {
		n = -n
	}
	return Amount(n), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// String writes the figure with the decimals it needs: 19, 1.44, 1.5.
func (a Amount) String() string {
	n := int64(a)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := sign + strconv.FormatInt(n/100, 10)
	if frac := n % 100; frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", frac), "0")
	}
	return s
}

// Result is one entry of a result figure: a plan's, or one of its tasks'.
type Result struct {
	ID        uint       `gorm:"primaryKey"`
	PlanID    uint       `gorm:"not null;index"`
	TaskID    *uint      `gorm:"index"` // nil: the plan's as a whole
	Kind      ResultKind `gorm:"not null"`
	Amount    Amount     `gorm:"not null"`
	Note      string     `gorm:"not null"`
	AuthorID  *uint      // the person, when a linked person entered it
	Author    string     `gorm:"not null"` // the actor's label: "cli", "telegram:123"
	CreatedAt time.Time
}

// NewResult is an entry to add. TaskCode, when set, is a task of the plan
// (6(2), 立行立改四).
type NewResult struct {
	PlanID   uint
	TaskCode string
	Kind     ResultKind
	Amount   Amount
	Note     string
}

// AddResult appends a result entry with its audit event. A task code the
// plan has not is ErrNotFound; a zero amount, a fraction of a whole count
// or a correction that would take the plan's total of the kind below zero
// is ErrResultAmount.
func (s *Store) AddResult(ctx context.Context, nr NewResult, actor Actor) (Result, error) {
	if _, err := ParseResultKind(string(nr.Kind)); err != nil {
		return Result{}, err
	}
	if nr.Amount == 0 || nr.Kind.Whole() && nr.Amount%100 != 0 {
		return Result{}, fmt.Errorf("%w: %s %s", ErrResultAmount, nr.Amount, nr.Kind.Unit())
	}
	r := Result{PlanID: nr.PlanID, Kind: nr.Kind, Amount: nr.Amount, Note: strings.TrimSpace(nr.Note),
		AuthorID: actor.PersonID, Author: actor.Label, CreatedAt: s.now()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var plans int64
		if err := tx.Model(&Plan{}).Where("id = ?", nr.PlanID).Count(&plans).Error; err != nil {
			return fmt.Errorf("add result: %w", err)
		}
		if plans == 0 {
			return fmt.Errorf("add result: plan %d: %w", nr.PlanID, ErrNotFound)
		}
		if code := strings.TrimSpace(nr.TaskCode); code != "" {
			var t Task
			err := tx.Select("id").Where("plan_id = ? AND code = ?", nr.PlanID, code).Take(&t).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("task %q is not in the plan: %w", code, ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("add result: task %q: %w", code, err)
			}
			r.TaskID = &t.ID
		}
		if r.Amount < 0 {
			// PostgreSQL sums a bigint as numeric: cast back for the scan.
			var total int64
			if err := tx.Model(&Result{}).Select("CAST(COALESCE(SUM(amount), 0) AS bigint)").
				Where("plan_id = ? AND kind = ?", nr.PlanID, string(nr.Kind)).Scan(&total).Error; err != nil {
				return fmt.Errorf("add result: %w", err)
			}
			if Amount(total)+r.Amount < 0 {
				return fmt.Errorf("%w: a correction of %s%s, the plan's total is %s%s", ErrResultAmount,
					r.Amount, nr.Kind.Unit(), Amount(total), nr.Kind.Unit())
			}
		}
		if err := tx.Create(&r).Error; err != nil {
			return fmt.Errorf("add result: %w", err)
		}
		return s.audit(tx, actor, "result.added", fmt.Sprintf("result:%d", r.ID), &r.PlanID, r.TaskID, nil,
			map[string]any{"kind": r.Kind, "amount": r.Amount.String(), "note": r.Note})
	})
	if err != nil {
		return Result{}, err
	}
	return r, nil
}

// ResultTotal is a plan's figure of one kind: its entries summed.
type ResultTotal struct {
	Kind    ResultKind
	Amount  Amount
	Entries int
}

// Results sums a plan's result entries per kind, in report order; kinds
// with no entry are left out. One query.
func (s *Store) Results(ctx context.Context, planID uint) ([]ResultTotal, error) {
	var sums []struct {
		Kind    string
		Amount  int64
		Entries int
	}
	if err := s.db.WithContext(ctx).Model(&Result{}).Select("kind, CAST(SUM(amount) AS bigint) AS amount, COUNT(*) AS entries").
		Where("plan_id = ?", planID).Group("kind").Scan(&sums).Error; err != nil {
		return nil, fmt.Errorf("results of plan %d: %w", planID, err)
	}
	var out []ResultTotal
	for _, k := range ResultKinds {
		for _, sum := range sums {
			if ResultKind(sum.Kind) == k {
				out = append(out, ResultTotal{Kind: k, Amount: Amount(sum.Amount), Entries: sum.Entries})
			}
		}
	}
	return out, nil
}

// ResultEntry is an entry as `rectibot results` lists it: with the code
// of its task ("" for the plan's).
type ResultEntry struct {
	Result
	TaskCode string
}

// ResultEntries lists a plan's result entries in the order they were made.
func (s *Store) ResultEntries(ctx context.Context, planID uint) ([]ResultEntry, error) {
	var out []ResultEntry
	if err := s.db.WithContext(ctx).Table("results r").Select("r.*, COALESCE(t.code, '') AS task_code").
		Joins("LEFT JOIN tasks t ON t.id = r.task_id").Where("r.plan_id = ?", planID).
		Order("r.id").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("result entries of plan %d: %w", planID, err)
	}
	return out, nil
}

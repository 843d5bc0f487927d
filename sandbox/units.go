package sandbox

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// The sandbox holds two inspected units, so that the 巡察办 persona has
// something to rank and a visitor sees that they stay apart: the Dongguan
// case (seed.go) and a small county bureau's ledger, invented, whose names
// collide with Dongguan's where every Chinese unit's would — a 机关党委, a
// leader called 书记, officers 张伟 and 李娜 — and an 办公室.
const (
	dongguanUnit      = "中共东莞市委政法委员会"
	dongguanShort     = "市委政法委"
	qingheUnit        = "青禾县教育局"
	qingheShort       = "县教育局"
	qinghePlanTitle   = "县委第二巡察组反馈意见整改（青禾县教育局）"
	qingheInspectTeam = "县委第二巡察组"
)

// qingheCSV is the second unit's ledger: 7 tasks dated as if reported on
// the Dongguan case's date (caseDate), so one shift re-dates both: 1 done,
// 1 long-term, 1 waiting for 销号 (四, not late), 2 late (二 and 六, long
// enough for the admins), 2 ahead.
//
//go:embed data/qinghe-2021.csv
var qingheCSV []byte

// qingheRows reads the second ledger and re-dates it around start as
// caseRows does the case (the same shift: both were "reported" on
// caseDate).
func qingheRows(start ledger.Date) ([]ledger.Row, error) {
	res, err := importer.Read(bytes.NewReader(qingheCSV), "qinghe-2021.csv", importer.Options{PlanYear: caseYear})
	if err != nil {
		return nil, fmt.Errorf("the embedded second ledger: %w", err)
	}
	shift := caseDate.DaysUntil(start)
	for i := range res.Rows {
		r := &res.Rows[i]
		if !r.Deadline.LongTerm && !r.Deadline.Date.IsZero() {
			r.Deadline.Date = r.Deadline.Date.AddDays(shift)
		}
	}
	return res.Rows, nil
}

// seedSecondUnit imports the county bureau's ledger unless it is there
// already (a kept --data ledger).
func seedSecondUnit(ctx context.Context, store *models.Store, start ledger.Date) error {
	var n int64
	if err := store.DB().WithContext(ctx).Model(&models.Plan{}).Where("title = ?", qinghePlanTitle).Count(&n).Error; err != nil {
		return fmt.Errorf("look for the second ledger: %w", err)
	}
	if n > 0 {
		return nil
	}
	rows, err := qingheRows(start)
	if err != nil {
		return err
	}
	spec := models.PlanSpec{Title: qinghePlanTitle, Team: qingheInspectTeam, Unit: qingheUnit, UnitShort: qingheShort,
		UnitSelf: "局党组", FeedbackDate: feedbackDate.AddDays(caseDate.DaysUntil(start)),
		TimeZone: models.DefaultTimeZone, Year: start.Year}
	if _, err := store.ImportPlan(ctx, spec, rows, sandboxActor, false); err != nil {
		return fmt.Errorf("import the second ledger: %w", err)
	}
	return nil
}

// addPersonas creates the personas no ledger names (the admin of Dongguan's
// 整改办 and the 巡察办 above the units), as `rectibot people add` would;
// one there already (a kept --data ledger) is kept.
func addPersonas(ctx context.Context, store *models.Store) error {
	for _, p := range personas {
		if !p.added {
			continue
		}
		_, err := store.AddPerson(ctx, models.NewPerson{Name: p.Name, Unit: p.Unit, Role: p.Role}, sandboxActor)
		if err != nil && !errors.Is(err, models.ErrPersonExists) {
			return fmt.Errorf("add %s: %w", p.Name, err)
		}
	}
	return nil
}

// groupUnit is the unit the group follows: Dongguan's, so its digests and
// escalations are the case's alone (a unit's group hears its unit only).
func groupUnit(ctx context.Context, store *models.Store) (uint, error) {
	u, err := store.FindUnit(ctx, dongguanUnit)
	if err != nil {
		return 0, fmt.Errorf("the group's unit: %w", err)
	}
	return u.ID, nil
}

package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rectibot/rectibot/internal/fixture"
)

// TestExportByDepartment: --by-department follows the whole 台账 with a
// sheet per 责任科室, in the order they first appear, each titled with the
// unit and the department; without it the workbook has the 台账 alone.
func TestExportByDepartment(t *testing.T) {
	dir := t.TempDir()
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	one, split := filepath.Join(dir, "one.xlsx"), filepath.Join(dir, "split.xlsx")
	c.mustRun("export", one, "--as-of", "2021-11-01")
	c.mustRun("export", split, "--as-of", "2021-11-01", "--by-department")
	// An exported ledger is an ordinary document: readable by the office's
	// other accounts (os.CreateTemp alone makes it 0600).
	for _, p := range []string{one, split} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", p, fi.Mode().Perm())
		}
	}

	f, err := excelize.OpenFile(one)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"台账"}) {
		t.Errorf("without --by-department: sheets %q", got)
	}
	f.Close()

	f, err = excelize.OpenFile(split)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	whole, err := f.GetRows("台账")
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != 28 || whole[0][0] != "中共东莞市委政法委员会巡察整改台账" || whole[1][0] != "截至2021年11月1日" {
		t.Fatalf("台账: %d rows, title %q, date line %q", len(whole), whole[0][0], whole[1][0])
	}
	var depts []string
	count := map[string]int{}
	for _, row := range whole[3:] {
		if count[row[7]]++; count[row[7]] == 1 {
			depts = append(depts, row[7])
		}
	}
	if got := f.GetSheetList(); len(depts) != 9 || !reflect.DeepEqual(got, append([]string{"台账"}, depts...)) {
		t.Fatalf("sheets %q, want 台账 then %q", got, depts)
	}
	for _, d := range depts {
		rows, err := f.GetRows(d)
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != "中共东莞市委政法委员会巡察整改台账（"+d+"）" || rows[2][7] != "责任科室" || len(rows) != 3+count[d] {
			t.Errorf("%s: title %q, header %q, %d rows for %d tasks", d, rows[0][0], rows[2], len(rows)-3, count[d])
		}
		for _, row := range rows[3:] {
			if row[7] != d {
				t.Errorf("the sheet of %s has a task of %s (序号 %s)", d, row[7], row[0])
			}
		}
	}

	if r := c.run("export", filepath.Join(dir, "split.csv"), "--by-department"); r.code != exitUsage {
		t.Errorf("--by-department to a CSV: exit %d (%v), want a usage error", r.code, r.err)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/internal/testdb"
)

// cli runs rectibot in-process against its own fresh database, as an
// operator would from a shell.
type cli struct {
	t   *testing.T
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	loc := testdb.Location(t)
	dbURL := loc.DSN
	if loc.Path != "" {
		dbURL = "sqlite:" + loc.Path
	}
	return &cli{t: t, env: map[string]string{"DATABASE_URL": dbURL, "RECTIBOT_BOT_USERNAME": "zhenggai_bot"}}
}

type result struct {
	out, errOut string
	code        int
	err         error
}

func (c *cli) run(args ...string) result {
	c.t.Helper()
	return c.runContext(context.Background(), args...)
}

func (c *cli) runContext(ctx context.Context, args ...string) result {
	env := make(map[string]string, len(c.env))
	for k, v := range c.env {
		env[k] = v
	}
	cmd := newRootCommand(func(k string) string { return env[k] })
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	r := result{out: out.String(), errOut: errOut.String(), err: err}
	if err != nil {
		r.code = exitFailure
		var ec exitCoder
		if errors.As(err, &ec) {
			r.code = ec.ExitCode()
		}
	}
	return r
}

func (c *cli) mustRun(args ...string) string {
	c.t.Helper()
	r := c.run(args...)
	if r.err != nil {
		c.t.Fatalf("rectibot %s: exit %d: %v\n%s", strings.Join(args, " "), r.code, r.err, r.errOut)
	}
	return r.out
}

var dongguanFlags = []string{"--plan-title", "市委第六巡察组反馈意见整改", "--team", "市委第六巡察组",
	"--unit", "中共东莞市委政法委员会", "--feedback-date", "2021-04-25"}

func (c *cli) importFile(path string, extra ...string) string {
	c.t.Helper()
	return c.mustRun(append(append([]string{"import", path}, dongguanFlags...), extra...)...)
}

func TestImportAndDigestOfTheDongguanLedger(t *testing.T) {
	c := newCLI(t)
	out := c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	for _, want := range []string{"5 categories, 17 problems, 25 tasks (5 long-term)", "9 departments", "5 leaders, 9 officers",
		// 已完成 on a 长期坚持 row is done at its stage, not closed: 17 + 5 done.
		"整改中 3, 已销号 17, 长期坚持 5 (5 of them 阶段性完成"} {
		if !strings.Contains(out, want) {
			t.Errorf("import summary lacks %q:\n%s", want, out)
		}
	}
	out = c.mustRun("digest", "--as-of", "2021-09-14")
	for _, want := range []string{"共 25 项", "已销号 17", "整改中 3", "已完成 22 项", "逾期 0", "无逾期事项"} {
		if !strings.Contains(out, want) {
			t.Errorf("digest of 2021-09-14 lacks %q:\n%s", want, out)
		}
	}
	out = c.mustRun("digest", "--as-of", "2021-11-01")
	for _, want := range []string{"逾期 1", "立行立改四", "周杰", "已逾期 1 个工作日"} {
		if !strings.Contains(out, want) {
			t.Errorf("digest of 2021-11-01 lacks %q:\n%s", want, out)
		}
	}
	out = c.mustRun("digest", "--as-of", "2021-11-01", "--lang", "en", "--department", "信息化和网格管理指导科")
	if !strings.Contains(out, "1 working day overdue") || strings.Contains(out, "委机关办公室") {
		t.Errorf("English department digest:\n%s", out)
	}
	out2 := c.mustRun("digest", "--as-of", "2021-11-01", "--since", "2021-09-01")
	// The 22 imported closures have no closure day: none is new in the period.
	if !strings.Contains(out2, "半月梳理汇总（2021年9月1日至2021年11月1日）") || !strings.Contains(out2, "新销号 0 项") {
		t.Errorf("digest --since:\n%s", out2)
	}
	if r := c.run("digest", "--as-of", "2021-11-01", "--since", "2021-12-01"); r.code != exitUsage {
		t.Errorf("--since after --as-of: exit %d", r.code)
	}
	if strings.ContainsAny(out, "<>") {
		t.Errorf("the command-line digest carries HTML:\n%s", out)
	}
}

func TestExportImportExportGivesIdenticalCells(t *testing.T) {
	dir := t.TempDir()
	first := newCLI(t)
	first.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	a := filepath.Join(dir, "a.xlsx")
	first.mustRun("export", a, "--as-of", "2021-11-01")

	second := newCLI(t) // an empty database
	second.importFile(a)
	b := filepath.Join(dir, "b.xlsx")
	second.mustRun("export", b, "--as-of", "2021-11-01")

	cellsA, cellsB := xlsxCells(t, a), xlsxCells(t, b)
	if len(cellsA) != 28 {
		t.Fatalf("export has %d rows, want 28 (title, date, header + 25)", len(cellsA))
	}
	for i := range cellsA {
		if strings.Join(cellsA[i], "\x1f") != strings.Join(cellsB[i], "\x1f") {
			t.Errorf("row %d differs after export → import → export:\n%q\n%q", i+1, cellsA[i], cellsB[i])
		}
	}
	// The export speaks the 台账's words.
	row := cellsA[27] // 立行立改六: 8月底前 → 2021-08-31, 已完成 → 已销号
	if row[9] != "2021-08-31" || row[10] != "已销号" {
		t.Errorf("立行立改六 exported as %q / %q", row[9], row[10])
	}

	// CSV too.
	c := filepath.Join(dir, "c.csv")
	first.mustRun("export", c)
	data, err := os.ReadFile(c)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(recs) != 26 || recs[0][0] != "序号" {
		t.Errorf("CSV export: %d records, err %v", len(recs), err)
	}
}

func TestAnXLSXCopyOfTheFixtureImportsTheSame(t *testing.T) {
	dir := t.TempDir()
	recs, err := csv.NewReader(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "ledger.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	for i, rec := range recs {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	xlsx := filepath.Join(dir, "ledger.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	fromCSV, fromXLSX := newCLI(t), newCLI(t)
	fromCSV.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	fromXLSX.importFile(xlsx)
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	fromCSV.mustRun("export", a)
	fromXLSX.mustRun("export", b)
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Error("the XLSX copy imported differently from the CSV")
	}
}

func xlsxCells(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for len(rows[i]) < 12 {
			rows[i] = append(rows[i], "")
		}
	}
	return rows
}

func TestJobsListsNoFailuresOnAFreshLedger(t *testing.T) {
	c := newCLI(t)
	if out := c.mustRun("jobs"); !strings.Contains(out, "no failed jobs") {
		t.Errorf("jobs: %q", out)
	}
}

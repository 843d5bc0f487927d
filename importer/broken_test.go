package importer

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

// broken returns ledger.csv with edit applied to its records.
func broken(t *testing.T, edit func(recs [][]string, col func(string) int)) []byte {
	t.Helper()
	recs := fixtureRecords(t, "ledger.csv")
	edit(recs, func(name string) int { return colIndex(t, recs, name) })
	return writeCSV(t, recs)
}

func wantProblems(t *testing.T, got, want []Problem) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", (&ValidationError{got}).Error(), (&ValidationError{want}).Error())
	}
}

func TestBadDate(t *testing.T) {
	// Record 4 is spreadsheet row 5 (the header is row 1).
	ps := problemsOf(t, broken(t, func(r [][]string, col func(string) int) { r[4][col("整改时限")] = "2021-13-01" }))
	wantProblems(t, ps, []Problem{{Row: 5, Column: "整改时限", Found: "2021-13-01",
		Expected: ledger.DeadlineFormsExpected, Reason: "no such month"}})
	want := `row 5, column 整改时限: "2021-13-01" (no such month), expected 2021-06-30, 2021/6/30, 2021年6月30日, 2021年6月底前, 6月底前 or 长期坚持`
	if got := ps[0].String(); got != want {
		t.Errorf("String() = %s\nwant       %s", got, want)
	}
}

func TestYearlessDeadlineNeedsPlanYear(t *testing.T) {
	_, err := ReadCSV(bytes.NewReader(fixtureBytes(t, "plan.csv")), Options{})
	ve, ok := errors.AsType[*ValidationError](err)
	if !ok || len(ve.Problems) != 1 || ve.Problems[0].Row != 26 || ve.Problems[0].Found != "8月底前" {
		t.Fatalf("want one problem at row 26 (立行立改六, 8月底前), got %v", err)
	}
}

func TestMissingColumn(t *testing.T) {
	ps := problemsOf(t, broken(t, func(r [][]string, col func(string) int) {
		c := col("整改时限")
		for i := range r {
			r[i] = append(r[i][:c], r[i][c+1:]...)
		}
	}))
	wantProblems(t, ps, []Problem{{Column: "整改时限", Expected: "a header row with " + ExpectedHeader}})
	if got := ps[0].String(); !strings.HasPrefix(got, "column 整改时限: missing, expected a header row with 序号,问题类别,") {
		t.Errorf("String() = %s", got)
	}
}

func TestHeaderProblems(t *testing.T) {
	ps := problemsOf(t, broken(t, func(r [][]string, col func(string) int) {
		r[0][col("整改情况")] = "整改状况"   // a typo: must not silently drop the column
		r[0][col("责任人")] = "Officer" // a second 责任人 after renaming it below
		r[0][col("责任科室")] = "责任人"
	}))
	wantProblems(t, ps, []Problem{
		{Column: "责任科室", Expected: "a header row with " + ExpectedHeader},
		{Row: 1, Column: "责任人", Found: "Officer", Expected: "one 责任人 column, but column H is one already"},
		{Row: 1, Found: `unknown column "整改状况" (column L)`, Expected: "only the columns " + ExpectedHeader + " (or 备注); rename or delete it"},
	})
}

func TestEmptyRequiredCell(t *testing.T) {
	ps := problemsOf(t, broken(t, func(r [][]string, col func(string) int) {
		r[2][col("责任人")] = " \u3000"
		r[2][col("具体问题")] = "" // optional
		r[2][col("整改状态")] = "" // optional
	}))
	wantProblems(t, ps, []Problem{{Row: 3, Column: "责任人", Expected: "the responsible officer's name"}})
	if got, want := ps[0].String(), "row 3, column 责任人: empty, expected the responsible officer's name"; got != want {
		t.Errorf("String() = %s", got)
	}
}

func TestDuplicates(t *testing.T) {
	ps := problemsOf(t, broken(t, func(r [][]string, col func(string) int) {
		r[6][col("序号")] = "3"
		r[8][col("问题编号")] = "6（2）" // the same code as row 8, once normalised
	}))
	wantProblems(t, ps, []Problem{
		{Row: 7, Column: "序号", Found: "3", Expected: "a 序号 not used before (row 4 has 3)"},
		{Row: 9, Column: "问题编号", Found: "6（2）", Expected: "a 问题编号 not used before (row 8 has 6(2))"},
	})
}

func TestUnknownStatus(t *testing.T) {
	ps := problemsOf(t, broken(t, func(r [][]string, col func(string) int) { r[9][col("整改状态")] = "差不多了" }))
	wantProblems(t, ps, []Problem{{Row: 10, Column: "整改状态", Found: "差不多了", Expected: ledger.StatusWordsExpected}})
}

func TestInconsistentProblem(t *testing.T) {
	ps := problemsOf(t, broken(t, func(r [][]string, col func(string) int) {
		r[8][col("问题")] = "一些重要工作推动有差距" // row 9, 6(3); 6(1) is row 7
		r[5][col("责任科室")] = "政治部"       // row 6: 杨帆 is in 维稳指导科 (rows 7, 22)
	}))
	wantProblems(t, ps, []Problem{
		{Row: 7, Column: "责任科室", Found: "维稳指导科", Expected: `"政治部", the department of 杨帆 in row 6 (a 责任人 is in one department)`},
		{Row: 9, Column: "问题", Found: "一些重要工作推动有差距", Expected: `"一些重要工作的推动仍有差距" as in row 7 (the same problem 6)`},
		{Row: 22, Column: "责任科室", Found: "维稳指导科", Expected: `"政治部", the department of 杨帆 in row 6 (a 责任人 is in one department)`},
	})
}

// TestAllProblemsListed: several bad rows give every problem, in file order,
// and the row numbers count the blank line Excel would show.
func TestAllProblemsListed(t *testing.T) {
	data := broken(t, func(r [][]string, col func(string) int) {
		r[20][col("序号")] = "二十"
		r[3][col("整改时限")] = "下个月"
		r[3][col("问题类别")] = ""
		r[12][col("整改状态")] = "??"
		r[25] = r[25][:8] // a short row
	})
	data = bytes.Replace(data, []byte("\n5,"), []byte("\n\n5,"), 1) // an empty line before row 6
	ps := problemsOf(t, data)
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := []string{
		`row 4, column 问题类别: empty, expected the problem's category`,
		`row 4, column 整改时限: "下个月" (not a date or 长期坚持), expected ` + ledger.DeadlineFormsExpected,
		`row 14, column 整改状态: "??", expected ` + ledger.StatusWordsExpected,
		`row 22, column 序号: "二十", expected a whole number from 1, unique in the file`,
		`row 27: 8 cells where the header has 12, expected every row as wide as the header (a stray quote or line break may have split or joined rows)`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestValueWithoutHeader(t *testing.T) {
	ps := problemsOf(t, broken(t, func(r [][]string, col func(string) int) {
		for i := range r {
			r[i] = append(r[i], "")
		}
		r[4][12], r[5][12] = "x", "y" // reported once, at the first
	}))
	wantProblems(t, ps, []Problem{{Row: 5, Found: "a value in column M, which has no header",
		Expected: "a header for every column that has values (" + ExpectedHeader + ")"}})
}

func TestHeaderOnly(t *testing.T) {
	ps := problemsOf(t, []byte("序号,问题类别,问题编号,问题,具体问题,整改措施,责任领导,责任科室,责任人,整改时限\n,,,,,,,,,\n"))
	if got := (&ValidationError{ps}).Error(); got != "file: no rows below the header, expected at least one problem row" {
		t.Errorf("got %s", got)
	}
}

func TestNotATable(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	cases := []struct {
		name, file string
		data       []byte
	}{
		{"PNG bytes named .csv", "photo.csv", png},
		{"PNG bytes named .xlsx", "photo.xlsx", png},
		{"random text", "notes.csv", []byte("会议纪要\n今天讨论了整改工作, 下周再议。\n\"quoted, text\n")},
		{"GBK random text", "notes.csv", []byte("\xbb\xe1\xd2\xe9\xbc\xcd\xd2\xaa\n")},
		{"corrupt zip", "a.xlsx", []byte("PK\x03\x04 this is not really a zip")},
		{"old xls", "a.xlsx", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00")},
		{"workbook without a table", "a.xlsx", xlsxOf(t, [][]string{{"hello"}, {"world"}}, nil)},
		{"empty file", "a.csv", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Read(bytes.NewReader(c.data), c.file, Options{})
			if !errors.Is(err, ErrNotATable) || res != nil {
				t.Fatalf("got %v, %v; want ErrNotATable", res, err)
			}
			t.Log(err)
		})
	}
	_, err := Read(strings.NewReader("x"), "text.csv", Options{})
	if !strings.Contains(err.Error(), "序号,问题类别,问题编号,问题,具体问题,整改措施,责任领导,责任科室,责任人,整改时限") {
		t.Errorf("the error should name the expected header: %v", err)
	}
	for _, name := range []string{"photo.png", "ledger.xls", "ledger"} {
		if _, err := Read(strings.NewReader("x"), name, Options{}); !errors.Is(err, ErrUnsupportedFormat) ||
			!strings.Contains(err.Error(), ".csv and .xlsx") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// countingReader is an endless stream of CSV-looking bytes that counts what
// was read from it.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = "a,b,c\n"[(c.n+int64(i))%6]
	}
	c.n += int64(len(p))
	return len(p), nil
}

func TestTooLarge(t *testing.T) {
	src := &countingReader{}
	_, err := Read(io.LimitReader(src, 20<<20), "big.csv", Options{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "10 MB") {
		t.Fatalf("got %v, want ErrTooLarge naming 10 MB", err)
	}
	if src.n > DefaultMaxBytes+64<<10 {
		t.Errorf("read %d bytes of a 20 MB file; should stop just past the 10 MB limit", src.n)
	}
	data := fixtureBytes(t, "ledger.csv")
	if _, err := ReadXLSX(bytes.NewReader(xlsxOf(t, fixtureRecords(t, "ledger.csv"), nil)), Options{MaxBytes: 1 << 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("xlsx over a 1 KB limit: %v", err)
	}
	if _, err := ReadCSV(bytes.NewReader(data), Options{PlanYear: planYear, MaxBytes: int64(len(data))}); err != nil {
		t.Errorf("a file exactly at the limit: %v", err)
	}
	// A small zip that unpacks to far more than the limit (a zip bomb).
	var huge [][]string
	for i := range 20 { // a cell holds at most 32767 characters
		huge = append(huge, []string{strings.Repeat("序", 30000) + strconv.Itoa(i)})
	}
	bomb := xlsxOf(t, huge, nil)
	if _, err := ReadXLSX(bytes.NewReader(bomb), Options{MaxBytes: int64(len(bomb))}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("zip bomb of %d bytes: %v", len(bomb), err)
	}
}

func TestValidationErrorCap(t *testing.T) {
	ps := make([]Problem, 25)
	for i := range ps {
		ps[i] = Problem{Row: i + 2, Column: "责任人", Expected: "a name"}
	}
	lines := strings.Split((&ValidationError{ps}).Error(), "\n")
	if len(lines) != maxListed+1 || lines[maxListed] != "… and 5 more" || lines[0] != "row 2, column 责任人: empty, expected a name" {
		t.Errorf("got %q", lines)
	}
}

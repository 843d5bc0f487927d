package importer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

type count struct {
	what      string
	got, want int
}

func TestReadFixture(t *testing.T) {
	for _, name := range []string{"plan.csv", "ledger.csv"} {
		t.Run(name, func(t *testing.T) {
			res, err := Read(bytes.NewReader(fixtureBytes(t, name)), name, Options{PlanYear: planYear})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			rows := res.Rows
			isLedger := name == "ledger.csv"
			if res.Format != FormatCSV || res.HasStatus != isLedger || res.HasProgress != isLedger {
				t.Errorf("format %q, HasStatus %v, HasProgress %v", res.Format, res.HasStatus, res.HasProgress)
			}
			if len(rows) != 25 {
				t.Fatalf("%d rows, want 25", len(rows))
			}
			counts := []count{
				{"categories", countDistinct(rows, func(r ledger.Row) string { return r.Category }), 5},
				{"problems", countDistinct(rows, func(r ledger.Row) string { return ledger.ProblemNumber(r.ProblemCode) }), 17},
				{"departments", countDistinct(rows, func(r ledger.Row) string { return r.Department }), 9},
				{"officers", countDistinct(rows, func(r ledger.Row) string { return r.Officer }), 9},
				{"leaders", countDistinct(rows, func(r ledger.Row) string { return r.Leader }), 5},
			}
			var longTerm, detail, closed, inProgress, noStatus int
			for i, r := range rows {
				if r.Seq != i+1 || r.SourceRow != i+2 {
					t.Errorf("row %d: 序号 %d, SourceRow %d", i+2, r.Seq, r.SourceRow)
				}
				if r.Deadline.LongTerm {
					longTerm++
				}
				if r.Detail != "" {
					detail++
				}
				switch r.Status {
				case ledger.StatusClosed:
					closed++
				case ledger.StatusInProgress:
					inProgress++
				case "":
					noStatus++
				}
			}
			counts = append(counts, count{"long-term", longTerm, 5}, count{"non-empty 具体问题", detail, 15})
			if isLedger {
				counts = append(counts, count{"closed", closed, 22}, count{"in progress", inProgress, 3})
			} else {
				counts = append(counts, count{"rows without status", noStatus, 25})
			}
			for _, c := range counts {
				if c.got != c.want {
					t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
				}
			}

			byCode := map[string]ledger.Row{}
			for _, r := range rows {
				byCode[r.ProblemCode] = r
			}
			if d := byCode["立行立改六"].Deadline; d.LongTerm || d.Date != ledger.MustDate(2021, 8, 31) {
				t.Errorf("立行立改六 deadline %+v, want 2021-08-31", d)
			}
			if d := byCode["2"].Deadline; d.Date != ledger.MustDate(2021, 6, 30) {
				t.Errorf("2 deadline %+v, want 2021-06-30 (2021年6月底前)", d)
			}
			m := byCode["9(2)"].Measures
			if len(m) < 2 || itemStart.MatchString(m[0]) || !strings.HasPrefix(m[1], "一是") {
				t.Errorf("9(2) measures should start with a lead-in line, then 一是…: %q", m)
			}
			if !strings.Contains(byCode["6(3)"].ProblemTitle, "推动") || byCode["6(3)"].Category != byCode["6(1)"].Category {
				t.Errorf("6(3): %+v", byCode["6(3)"])
			}
		})
	}
}

// TestFixtureTextVerbatim checks that text cells come through exactly as
// written, line breaks included, because the report quotes them.
func TestFixtureTextVerbatim(t *testing.T) {
	recs := fixtureRecords(t, "ledger.csv")
	res := readCSVOK(t, fixtureBytes(t, "ledger.csv"))
	mi, pi, di := colIndex(t, recs, "整改措施"), colIndex(t, recs, "整改情况"), colIndex(t, recs, "具体问题")
	var lines, numbered int
	for i, r := range res.Rows {
		rec := recs[i+1]
		if got := JoinMeasures(r.Measures); got != rec[mi] {
			t.Errorf("row %d: JoinMeasures(Measures) = %q, want the cell %q", i+2, got, rec[mi])
		}
		if r.Progress != rec[pi] || r.Detail != rec[di] {
			t.Errorf("row %d: 整改情况 or 具体问题 changed", i+2)
		}
		if got := JoinMeasures(SplitMeasures(rec[pi])); got != rec[pi] {
			t.Errorf("row %d: 整改情况 does not round-trip: %q", i+2, got)
		}
		for _, item := range r.Measures {
			for j, line := range strings.Split(item, "\n") {
				lines++
				if itemStart.MatchString(line) {
					numbered++
					if j > 0 {
						t.Errorf("row %d: numbered line %q inside an item", i+2, line)
					}
				}
			}
		}
	}
	if lines != 74 || numbered != 67 {
		t.Errorf("整改措施: %d lines, %d starting with X是; want 74 and 67", lines, numbered)
	}
}

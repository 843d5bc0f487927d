package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"testing"

	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/ledger"
)

const planYear = 2021

func fixtureBytes(t testing.TB, name string) []byte {
	t.Helper()
	return fixture.Bytes(t, fixture.Dongguan, name)
}

// fixtureRecords is the fixture as CSV records, header first.
func fixtureRecords(t testing.TB, name string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(fixtureBytes(t, name))).ReadAll()
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return recs
}

func cloneRecords(recs [][]string) [][]string {
	out := make([][]string, len(recs))
	for i, r := range recs {
		out[i] = slices.Clone(r)
	}
	return out
}

func writeCSV(t testing.TB, recs [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// colIndex finds a header in the fixture's header row.
func colIndex(t testing.TB, recs [][]string, name string) int {
	t.Helper()
	i := slices.Index(recs[0], name)
	if i < 0 {
		t.Fatalf("no column %s in %v", name, recs[0])
	}
	return i
}

func readCSVOK(t testing.TB, data []byte) *Result {
	t.Helper()
	res, err := ReadCSV(bytes.NewReader(data), Options{PlanYear: planYear})
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	return res
}

// problemsOf reads a CSV that must fail validation and returns its problems.
func problemsOf(t testing.TB, data []byte) []Problem {
	t.Helper()
	res, err := ReadCSV(bytes.NewReader(data), Options{PlanYear: planYear})
	if err == nil {
		t.Fatalf("ReadCSV returned %d rows and no error", len(res.Rows))
	}
	if res != nil {
		t.Errorf("ReadCSV returned rows along with the error")
	}
	ve, ok := errors.AsType[*ValidationError](err)
	if !ok {
		t.Fatalf("error %v (%T) is not a *ValidationError", err, err)
	}
	return ve.Problems
}

// countDistinct counts the distinct values f gives over rows.
func countDistinct(rows []ledger.Row, f func(ledger.Row) string) int {
	seen := map[string]bool{}
	for _, r := range rows {
		seen[f(r)] = true
	}
	return len(seen)
}

package importer_test

import (
	"bytes"
	"testing"

	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/render"
)

// TestAnInertCSVExportImportsAsItWasWritten: the export puts an
// apostrophe before cells that would start a formula; the import takes it
// off again, so the ledger's texts come back unchanged.
func TestAnInertCSVExportImportsAsItWasWritten(t *testing.T) {
	row := ledger.Row{
		Seq: 1, Category: "财经纪律执行不够严格", ProblemCode: "10", ProblemTitle: `=HYPERLINK("http://evil.example","看")`,
		Detail: "@SUM(1+1)", Measures: []string{"-1+1 是一项措施", "二是按月填列"}, Leader: "常务副书记",
		Department: "委机关办公室", Officer: "张伟", Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 12, 31)},
		Status: ledger.StatusInProgress, Progress: `=cmd|' /C calc'!A0`,
	}
	var buf bytes.Buffer
	if err := render.WriteCSV(&buf, []render.ExportRow{{Row: row}}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`'=HYPERLINK`)) {
		t.Fatalf("the export is not inert:\n%s", buf.Bytes())
	}
	res, err := importer.Read(&buf, "ledger.csv", importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Rows[0]
	if got.ProblemTitle != row.ProblemTitle || got.Detail != row.Detail || got.Progress != row.Progress ||
		len(got.Measures) != 2 || got.Measures[0] != row.Measures[0] {
		t.Errorf("imported back:\n title %q\n detail %q\n progress %q\n measures %q", got.ProblemTitle, got.Detail, got.Progress, got.Measures)
	}
}

package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/ledger"
)

func TestTheCardShowsWhichMeasuresAreDone(t *testing.T) {
	c := Card{Code: "8(2)", Title: "机关干部管理工作不够严格", Status: ledger.StatusInProgress,
		Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 11, 30)},
		Measures: []CardMeasure{{Text: "一是补齐档案散件。", Done: true}, {Text: "二是修订<出国>管理制度。"}, {Text: "三是开展自查。", Done: true}}}
	today := ledger.MustDate(2021, 11, 1)
	zh := TaskCard(NewLocalizer(LangZh), c, today, ledger.WeekdaysCalendar{}, ledger.DefaultLightThresholds)
	for _, want := range []string{
		"<b>整改措施（已完成 2/3）</b>\n☑ 1. 一是补齐档案散件。\n☐ 2. 二是修订&lt;出国&gt;管理制度。\n☑ 3. 三是开展自查。\n",
	} {
		if !strings.Contains(zh, want) {
			t.Errorf("the card lacks %q:\n%s", want, zh)
		}
	}
	en := TaskCard(NewLocalizer(LangEn), c, today, ledger.WeekdaysCalendar{}, ledger.DefaultLightThresholds)
	if !strings.Contains(en, "<b>Measures (2/3 done)</b>\n☑ 1. ") {
		t.Errorf("the English card:\n%s", en)
	}
	c.Measures = nil
	if got := TaskCard(NewLocalizer(LangZh), c, today, ledger.WeekdaysCalendar{}, ledger.DefaultLightThresholds); strings.Contains(got, "整改措施") {
		t.Errorf("a task without measures shows a measures heading:\n%s", got)
	}
}

func TestMeasuresNote(t *testing.T) {
	for _, tc := range []struct {
		done []bool
		want string
	}{
		{nil, ""},
		{[]bool{}, ""},
		{[]bool{false, false, false}, "措施完成 0/3"},
		{[]bool{true, false, true}, "措施完成 2/3（第1、3项）"},
		{[]bool{true, true}, "措施完成 2/2"},
		{[]bool{true}, "措施完成 1/1"},
	} {
		if got := MeasuresNote(tc.done); got != tc.want {
			t.Errorf("MeasuresNote(%v) = %q, want %q", tc.done, got, tc.want)
		}
	}
}

// TestTheExportSaysWhichMeasuresAreDoneAndStillImports: the 备注 column
// of both formats carries the note, and the importer reads the file back
// with the measures as they were (备注 is ignored).
func TestTheExportSaysWhichMeasuresAreDoneAndStillImports(t *testing.T) {
	rows := exportFixture()
	var csvBuf, xlsxBuf bytes.Buffer
	if err := WriteCSV(&csvBuf, rows); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&xlsxBuf, "整改台账", rows, XLSXOptions{}); err != nil {
		t.Fatal(err)
	}
	if Columns[len(Columns)-1] != "备注" {
		t.Fatalf("last column %q, want 备注", Columns[len(Columns)-1])
	}
	for name, data := range map[string][]byte{"ledger.csv": csvBuf.Bytes(), "ledger.xlsx": xlsxBuf.Bytes()} {
		if name == "ledger.csv" && !bytes.Contains(data, []byte(",措施完成 2/3（第1、3项）\n")) {
			t.Errorf("the CSV lacks the note of 8(2):\n%s", data)
		}
		res, err := importer.Read(bytes.NewReader(data), name, importer.Options{PlanYear: 2021})
		if err != nil {
			t.Fatalf("%s does not import back: %v", name, err)
		}
		for i, r := range res.Rows {
			if strings.Join(r.Measures, "\n") != strings.Join(rows[i].Measures, "\n") {
				t.Errorf("%s row %d: measures read back as %q, want %q", name, i+2, r.Measures, rows[i].Measures)
			}
		}
	}
}

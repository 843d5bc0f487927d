package notice_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/rectibot/rectibot/notice"
)

// TestDOCXGolden compares the .docx of the Dongguan 通报, 整改报告,
// 整改方案 and half-monthly compilation, laid out with the embedded reference document, with
// testdata/*.docx byte for byte: the files were written by the writer
// before it took its layout from a template, so the default template
// changes nothing. After an intended change (of the wording, or of the
// reference document): go test ./notice -run Golden -update.
func TestDOCXGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		doc  func() notice.Document
	}{
		{"dongguan-2021-09-14.docx", func() notice.Document { return published(t).report(reportDay, "") }},
		{"dongguan-2021-09-14-report.docx", func() notice.Document { return signed(t).rectReport(reportDay, "") }},
		{"dongguan-2021-09-14-plan.docx", func() notice.Document { return published(t).planDoc(reportDay, "") }},
		{"dongguan-compilation-2021-11-01.docx", func() notice.Document { return compilation(t) }},
	} {
		data, err := notice.DOCX(c.doc())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		goldenDOCX(t, c.name, data)
	}
}

// goldenDOCX compares a .docx with testdata/name byte for byte and, when
// they differ, names the parts that differ.
func goldenDOCX(t *testing.T, name string, got []byte) {
	t.Helper()
	want, same := readGolden(t, name, got)
	if same {
		return
	}
	path := filepath.Join("testdata", name)
	gp, wp := docxParts(t, got), docxParts(t, want)
	for part, w := range wp {
		if g, ok := gp[part]; !ok {
			t.Errorf("%s: the .docx lacks %s", name, part)
		} else if !bytes.Equal(g, w) {
			t.Errorf("%s: %s differs from %s's", name, part, path)
		}
	}
	for part := range gp {
		if _, ok := wp[part]; !ok {
			t.Errorf("%s: the .docx has %s, which %s has not", name, part, path)
		}
	}
	if !t.Failed() {
		t.Errorf("%s: the parts are the same but the archive's bytes differ from %s", name, path)
	}
}

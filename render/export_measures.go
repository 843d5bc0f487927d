package render

import (
	"strconv"
	"strings"

	"github.com/rectibot/rectibot/ledger"
)

// MeasuresNote is the 备注 cell of a 台账 row: how many of the task's
// measures are ticked as done and, when only some are, which (numbered as
// they stand in the 整改措施 cell): "措施完成 2/3（第1、3项）",
// "措施完成 3/3", "措施完成 0/3". It is "" when there are no measures or
// the source says nothing of them (done is nil).
//
// The note is a column of its own rather than a ☑/☐ before each measure
// because the 整改措施 cell must stay the text the importer splits on
// 一是/二是…: a mark before the item would merge the items on import, and
// an export must import back unchanged. 备注 is the one column every office
// template has and the importer accepts and ignores. The text carries
// Chinese words so that a spreadsheet never takes "2/3" for a date.
func MeasuresNote(done []bool) string {
	if len(done) == 0 {
		return ""
	}
	var which []string
	for i, d := range done {
		if d {
			which = append(which, strconv.Itoa(i+1))
		}
	}
	note := "措施完成 " + strconv.Itoa(len(which)) + "/" + strconv.Itoa(len(done))
	if len(which) > 0 && len(which) < len(done) {
		note += "（第" + strings.Join(which, "、") + "项）"
	}
	return note
}

// DeadlineNote is the 备注 of a task whose deadline moved: the original
// deadline and each approved one, with who approved it.
func DeadlineNote(moves []ledger.DeadlineMove) string {
	if len(moves) == 0 {
		return ""
	}
	parts := []string{"原定时限 " + moves[0].From.Chinese()}
	for _, m := range moves {
		who := m.ApprovedBy
		if who == "" {
			who = "督办管理员"
		}
		parts = append(parts, "经"+who+"同意调整为 "+m.To.Chinese())
	}
	return strings.Join(parts, "，")
}

// joinNotes joins the non-empty parts of a 备注 cell.
func joinNotes(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "；")
}

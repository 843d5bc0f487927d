package render

import (
	"strconv"
	"strings"

	"github.com/rectibot/rectibot/ledger"
)

// ExportRow is one 台账 row as exported: the row and its traffic light on
// the day of the export (the light is derived, so the caller computes it).
type ExportRow struct {
	ledger.Row
	Light ledger.Light
	// MeasuresDone says, for each of Row.Measures, whether it is ticked as
	// done; nil when the source does not say (the 备注 cell stays empty).
	MeasuresDone []bool
	// DeadlineMoves are the approved changes of the deadline: the 备注 says
	// the original (原定时限) and each adjusted one (调整后时限).
	DeadlineMoves []ledger.DeadlineMove
}

// Columns are the 台账 headers of SPEC §5, in order, and 备注 (remarks)
// with which measures are done (MeasuresNote); the importer reads them back
// and ignores 备注, so an export imports unchanged.
var Columns = []string{"序号", "问题类别", "问题编号", "问题", "具体问题", "整改措施", "责任领导", "责任科室", "责任人", "整改时限", "整改状态", "整改情况", "备注"}

// ExportRowCells returns the 13 cells of r in Columns order, as the
// importer reads them: measures one per line, the deadline as YYYY-MM-DD or
// 长期坚持, the status in the 台账's Chinese words (长期坚持（阶段性完成） for a
// long-term task done at its stage).
func ExportRowCells(r ExportRow) []string {
	return []string{
		strconv.Itoa(r.Seq),
		r.Category,
		r.ProblemCode,
		r.ProblemTitle,
		r.Detail,
		strings.Join(r.Measures, "\n"),
		r.Leader,
		r.Department,
		r.Officer,
		ledger.FormatDeadline(r.Deadline),
		ledger.StatusWord(r.Status, r.StageDone),
		r.Progress,
		joinNotes(MeasuresNote(r.MeasuresDone), DeadlineNote(r.DeadlineMoves)),
	}
}

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
	// ClosedOn is the day of the closure (销号日期); zero when open or not
	// known (an imported closure).
	ClosedOn ledger.Date
	// ClosedBy is who approved the closure (审核人), "" when not known.
	ClosedBy string
	// Evidence is the number of files attached to the progress reports
	// (佐证材料).
	Evidence int
}

// Columns are the 台账 headers of SPEC §5, in order, and 备注 (remarks)
// with which measures are done (MeasuresNote); the importer reads them back
// and ignores 备注, so an export imports unchanged.
var Columns = []string{"序号", "问题类别", "问题编号", "问题", "具体问题", "整改措施", "责任领导", "责任科室", "责任人", "整改时限", "整改状态", "整改情况", "备注"}

// OfficeColumns follow Columns in the XLSX export only: what an office's
// 台账 shows besides the 台账 itself, all derived from the bot's records
// (approved deadline changes, the audit of the closure, attachments,
// ticked measures). The CSV keeps to Columns: it is the exchange format
// that must import back and export again byte for byte, and an import
// cannot restore these (an imported task has no audited closure and no
// attachments), so they would differ on the second export. The importer
// accepts and ignores these headers, so the XLSX imports back too.
var OfficeColumns = []string{"原定时限", "调整后时限", "调整理由", "销号日期", "审核人", "佐证材料（件）", "措施完成"}

// officeEvidence is the place of 佐证材料（件） in OfficeColumns.
const officeEvidence = 5

// OfficeRowCells returns the cells of r in OfficeColumns order. 原定时限,
// 调整后时限 and 调整理由 are filled only for a task whose deadline was
// moved (整改时限 already says the deadline of any other), from the first
// and the last approved change; dates are written as people write them
// (2021年11月30日). 措施完成 is "done/total", "" without measures.
func OfficeRowCells(r ExportRow) []string {
	cells := make([]string, len(OfficeColumns))
	if n := len(r.DeadlineMoves); n > 0 {
		first, last := r.DeadlineMoves[0], r.DeadlineMoves[n-1]
		cells[0], cells[1], cells[2] = chineseDate(first.From), chineseDate(last.To), last.Reason
	}
	cells[3] = chineseDate(r.ClosedOn)
	cells[4] = r.ClosedBy
	cells[officeEvidence] = strconv.Itoa(r.Evidence)
	if len(r.MeasuresDone) > 0 {
		done := 0
		for _, d := range r.MeasuresDone {
			if d {
				done++
			}
		}
		cells[6] = strconv.Itoa(done) + "/" + strconv.Itoa(len(r.MeasuresDone))
	}
	return cells
}

// chineseDate is d.Chinese(), "" for no date.
func chineseDate(d ledger.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Chinese()
}

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

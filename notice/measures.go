package notice

import (
	"strings"

	"github.com/rectibot/rectibot/ledger"
)

// doneMark follows a measure ticked as done, in full-width parentheses as
// the rest of the report's words (see wording.go).
const doneMark = "（已完成）"

// sentenceEnd is the punctuation a measure may end in; the mark goes
// before it, so that 一是…归档。 reads 一是…归档(已完成)。
const sentenceEnd = "。.;\uFF1B,\uFF0C:\uFF1A!\uFF01?\uFF1F…、"

// measureLines splits a task's measures into report lines (a measure may
// span several) and says, for each line, whether it ends a measure ticked
// as done. done runs parallel to measures and may be nil (nothing known).
func measureLines(measures []string, done []bool) ([]string, []bool) {
	var ls []string
	var ends []bool
	for i, m := range measures {
		own := lines(m)
		if len(own) == 0 {
			continue
		}
		ls = append(ls, own...)
		ends = append(ends, make([]bool, len(own))...)
		ends[len(ends)-1] = i < len(done) && done[i]
	}
	return ls, ends
}

// measuresText is the 整改措施 paragraph. While the task is being
// rectified, each measure ticked as done says so — 一是…(已完成)。二是… —
// so the reader sees what is left. A closed task is 已完成整改 as a whole
// (as is a long-term one done at its stage), so its measures read as the
// ledger wrote them, and the report of a finished ledger reads as the
// published one.
func (it Item) measuresText() string {
	if ledger.IsDone(it.Status, it.StageDone) {
		return paragraph(it.Measures)
	}
	var b strings.Builder
	for i, l := range it.Measures {
		// Sentences are separated as paragraph does, judged on the words
		// as written: the mark's ")" must not count as an ending.
		if i > 0 && !endsSentence(it.Measures[i-1]) {
			b.WriteString("。")
		}
		if i < len(it.MeasuresDone) && it.MeasuresDone[i] {
			body := strings.TrimRight(l, sentenceEnd)
			l = body + doneMark + l[len(body):]
		}
		b.WriteString(l)
	}
	return b.String()
}

package render

import (
	"strconv"
	"strings"
)

// MeasureBox is how a measure's state shows in a chat: ☑ done, ☐ not yet.
func MeasureBox(done bool) string {
	if done {
		return "☑"
	}
	return "☐"
}

// MeasuresDone counts the measures ticked as done.
func MeasuresDone(ms []CardMeasure) int {
	n := 0
	for _, m := range ms {
		if m.Done {
			n++
		}
	}
	return n
}

// cardMeasureLines is the card's 整改措施 part: a heading with how many are
// done, then each measure with its box, numbered as the tick buttons are
// (☐ 1, ☑ 2…); "" when the task has none.
func cardMeasureLines(l *Localizer, ms []CardMeasure) string {
	if len(ms) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n<b>" + l.T("card_measures_count", map[string]any{"Done": MeasuresDone(ms), "Total": len(ms)}) + "</b>\n")
	for i, m := range ms {
		if i == cardMeasures {
			b.WriteString(l.T("card_more", map[string]any{"Count": len(ms) - cardMeasures}) + "\n")
			break
		}
		b.WriteString(MeasureBox(m.Done) + " " + strconv.Itoa(i+1) + ". " + esc(FormatHTML, truncateRunes(m.Text, cardMeasureRunes)) + "\n")
	}
	return b.String()
}

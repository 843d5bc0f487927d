package notice

import (
	"strings"
	"unicode/utf8"
)

// titleTail ends every 通报's title.
const titleTail = "整改阶段性进展情况的通报"

// titleWidth is how many 二号 (22 pt) characters a title line holds: the
// type area of GB/T 9704 is 156 mm (442 pt) wide, so 20.
const titleWidth = 20.0

// title is <unit>关于<inspection>整改阶段性进展情况的通报 — the unit's name as
// given (中共 only when it is part of the name) — and its lines: where it
// is longer than a line, it breaks at word boundaries (GB/T 9704 7.3.3:
// 回行时词意完整), never inside a word as a line full of characters would
// (…县委第二巡察组反/馈意见…).
func title(unit, inspection string) (string, []string) { return titleWith(unit, inspection, titleTail) }

// titleWith is title with another ending: the 整改报告's 整改情况的报告, the
// 整改方案's 的整改方案.
func titleWith(unit, inspection, tail string) (string, []string) {
	pieces := []titlePiece{{text: unit}, {text: "关于"}}
	pieces = append(pieces, inspectionPieces(inspection)...)
	pieces = append(pieces, titlePiece{text: tail})
	var whole strings.Builder
	for _, p := range pieces {
		whole.WriteString(p.text)
	}
	return whole.String(), breakTitle(pieces)
}

// titlePiece is a run of the title no line may break; cost is how much a
// break before it is disliked: 0 before 关于 (the unit on a line of its
// own) and before 整改阶段性进展情况的通报, 1 after 关于 (a line ending in
// 关于), 2 inside the inspection's name.
type titlePiece struct {
	text string
	cost int
}

// inspectionPieces splits the inspection's name where it may break: after
// the team (市委第六巡察组|反馈意见) and before 反馈意见.
func inspectionPieces(name string) []titlePiece {
	first := titlePiece{text: name, cost: 1}
	for _, marker := range []string{"巡察组", "巡视组"} {
		if i := strings.Index(name, marker); i > 0 {
			if end := i + len(marker); end < len(name) {
				return []titlePiece{{text: name[:end], cost: 1}, {text: name[end:], cost: 2}}
			}
		}
	}
	if i := strings.Index(name, "反馈意见"); i > 0 {
		return []titlePiece{{text: name[:i], cost: 1}, {text: name[i:], cost: 2}}
	}
	return []titlePiece{first}
}

// breakTitle chooses the lines that each fit titleWidth: with the least
// disliked worst break, then the fewest lines, then the least disliked
// breaks in all, then the most even lines — so the Dongguan title reads
// 中共东莞市委政法委员会 / 关于市委第六巡察组反馈意见 / 整改阶段性进展情况的
// 通报 rather than breaking its inspection's name to save a line. A title that fits
// in no way (a unit's name longer than a line) is left as one line for the
// word processor to wrap.
func breakTitle(pieces []titlePiece) []string {
	var kept []titlePiece
	for _, p := range pieces {
		if p.text != "" {
			kept = append(kept, p)
		}
	}
	n := len(kept)
	if n == 0 {
		return nil
	}
	var best []string
	bestWorst, bestCost, bestSpread := 0, 0, 0.0
	// Each bit of mask is a break before piece i+1: at most 2^(n-1) ways,
	// and n is at most 5.
	for mask := 0; mask < 1<<(n-1); mask++ {
		var ls []string
		worst, cost, line := 0, 0, kept[0].text
		for i := 1; i < n; i++ {
			if mask&(1<<(i-1)) != 0 {
				ls, line = append(ls, line), kept[i].text
				cost += kept[i].cost
				worst = max(worst, kept[i].cost)
			} else {
				line += kept[i].text
			}
		}
		ls = append(ls, line)
		lo, hi := titleWidth, 0.0
		for _, l := range ls {
			w := textWidth(l)
			lo, hi = min(lo, w), max(hi, w)
		}
		if hi > titleWidth {
			continue
		}
		better := best == nil || worst != bestWorst && worst < bestWorst
		if !better && worst == bestWorst {
			better = len(ls) < len(best) || len(ls) == len(best) && (cost < bestCost || cost == bestCost && hi-lo < bestSpread)
		}
		if better {
			best, bestWorst, bestCost, bestSpread = ls, worst, cost, hi-lo
		}
	}
	if best == nil {
		var whole strings.Builder
		for _, p := range kept {
			whole.WriteString(p.text)
		}
		return []string{whole.String()}
	}
	return best
}

// textWidth is a text's width in characters: a Chinese character or a
// full-width mark is one, a Latin letter, digit or half-width mark half.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < utf8.RuneSelf {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

package importer

import (
	"regexp"
	"strings"
)

// itemStart matches the start of a numbered measure: 一是, 二是, … 十是,
// 十一是. Documents number measures this way inside one paragraph; the
// 台账 puts each on its own line.
var itemStart = regexp.MustCompile(`^[一二三四五六七八九十]{1,3}是`)

// SplitMeasures splits a 整改措施 (or 整改情况) cell into items, one per
// 一是/二是… line. Lines before the first numbered one form a lead-in item;
// a later line that is not numbered continues the item above it. Lines are
// trimmed and blank lines dropped.
func SplitMeasures(cell string) []string {
	// Lines are gathered per item and joined once: appending to a string
	// line by line would be quadratic in a cell of many unnumbered lines.
	var groups [][]string
	for line := range strings.SplitSeq(cell, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case len(groups) == 0 || itemStart.MatchString(line):
			groups = append(groups, []string{line})
		default:
			groups[len(groups)-1] = append(groups[len(groups)-1], line)
		}
	}
	var items []string
	for _, g := range groups {
		items = append(items, strings.Join(g, "\n"))
	}
	return items
}

// JoinMeasures writes items back as one cell, one item per line. It is the
// exact inverse of SplitMeasures for a cell with trimmed lines and no blank
// lines (as every cell SplitMeasures's output came from, re-joined, is).
func JoinMeasures(items []string) string { return strings.Join(items, "\n") }

package ledger

import (
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// SortDepartments orders digest lines the way a leader reads them: the
// departments with the most overdue tasks first, then those with the most
// due soon, then in the ledger's own order (where each first appears, as
// the office listed them), and by name in pinyin order where that is the
// same (Chinese names sort by code point otherwise, which looks random).
func SortDepartments(ds []DepartmentSummary) {
	col := collate.New(language.Chinese)
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.ByLight[LightRed] != b.ByLight[LightRed] {
			return a.ByLight[LightRed] > b.ByLight[LightRed]
		}
		if a.ByLight[LightYellow] != b.ByLight[LightYellow] {
			return a.ByLight[LightYellow] > b.ByLight[LightYellow]
		}
		if a.First != b.First {
			return a.First < b.First
		}
		return col.CompareString(a.Name, b.Name) < 0
	})
}

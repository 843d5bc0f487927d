package ledger

import (
	"slices"
	"testing"
)

func TestSortDepartmentsPutsTroubleFirstThenTheLedgersOrder(t *testing.T) {
	ds := []DepartmentSummary{
		{Name: "政治部", First: 3, ByLight: map[Light]int{}},
		{Name: "机关党委", First: 9, ByLight: map[Light]int{LightYellow: 1}},
		{Name: "宣传教育科", First: 1, ByLight: map[Light]int{}},
		{Name: "信息化和网格管理指导科", First: 20, ByLight: map[Light]int{LightRed: 1}},
		{Name: "基层社会治理科", First: 5, ByLight: map[Light]int{}},
		{Name: "办公室", ByLight: map[Light]int{}}, // no order known: by pinyin among those
		{Name: "财务科", ByLight: map[Light]int{}}, // bangongshi < caiwuke
	}
	SortDepartments(ds)
	var got []string
	for _, d := range ds {
		got = append(got, d.Name)
	}
	// Red, then yellow, then where each first comes in the ledger.
	want := []string{"信息化和网格管理指导科", "机关党委", "办公室", "财务科", "宣传教育科", "政治部", "基层社会治理科"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

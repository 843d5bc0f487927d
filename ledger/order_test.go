package ledger

import (
	"slices"
	"testing"
)

func TestSortDepartmentsPutsTroubleFirstThenPinyin(t *testing.T) {
	ds := []DepartmentSummary{
		{Name: "政治部", ByLight: map[Light]int{}},
		{Name: "机关党委", ByLight: map[Light]int{LightYellow: 1}},
		{Name: "宣传教育科", ByLight: map[Light]int{}},
		{Name: "信息化和网格管理指导科", ByLight: map[Light]int{LightRed: 1}},
		{Name: "基层社会治理科", ByLight: map[Light]int{}},
	}
	SortDepartments(ds)
	var got []string
	for _, d := range ds {
		got = append(got, d.Name)
	}
	// jiceng < xuanchuan < zhengzhi in pinyin.
	want := []string{"信息化和网格管理指导科", "机关党委", "基层社会治理科", "宣传教育科", "政治部"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

package importer

import (
	"reflect"
	"testing"
)

func TestSplitMeasures(t *testing.T) {
	cases := []struct {
		cell string
		want []string
	}{
		{"", nil},
		{"一是学习。", []string{"一是学习。"}},
		{"一是学习。\n二是整改。", []string{"一是学习。", "二是整改。"}},
		{"对照问题,制定措施:\n一是学习。\n二是整改。", []string{"对照问题,制定措施:", "一是学习。", "二是整改。"}},
		{"一是学习,\n并报备。\n十一是整改。", []string{"一是学习,\n并报备。", "十一是整改。"}},
		{"  一是学习。 \r\n\n\u3000二是整改。\n", []string{"一是学习。", "二是整改。"}},
		{"统一是必要的。", []string{"统一是必要的。"}},
		{"完善制度。\n加强监督。", []string{"完善制度。\n加强监督。"}},
	}
	for _, c := range cases {
		got := SplitMeasures(c.cell)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitMeasures(%q) = %q, want %q", c.cell, got, c.want)
		}
	}
}

func TestJoinMeasuresInverse(t *testing.T) {
	for _, cell := range []string{"一是学习。", "前言:\n一是a\n续\n二是b", "十是a\n十一是b"} {
		if got := JoinMeasures(SplitMeasures(cell)); got != cell {
			t.Errorf("JoinMeasures(SplitMeasures(%q)) = %q", cell, got)
		}
	}
	items := []string{"对照问题:", "一是a\nb", "二是c"}
	if got := SplitMeasures(JoinMeasures(items)); !reflect.DeepEqual(got, items) {
		t.Errorf("SplitMeasures(JoinMeasures(%q)) = %q", items, got)
	}
}

func TestHeaderNormalisation(t *testing.T) {
	for in, want := range map[string]column{
		"序号": colSeq, " 序\u3000号：": colSeq, "*整改时限": colDeadline, "整改\n时限": colDeadline,
		"Problem_No": colCode, "problem no.": colCode, "ＳＴＡＴＵＳ": colStatus, "Specific Problem": colDetail,
		"备注": colIgnored, "佐证材料（件）": colIgnored, "调整后时限": colIgnored,
	} {
		if got, ok := headerAliases[normHeader(in)]; !ok || got != want {
			t.Errorf("header %q → %v (%v), want %v", in, got, ok, want)
		}
	}
}

package ledgergen

import (
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/rectibot/rectibot/ledger"
)

// UnitsSpec sizes an installation of many inspected units (issue 11): each
// unit's own small 台账, with the same department, officer and leader names
// in every unit (every county bureau has an 办公室 and a 张伟), so nothing
// may be matched across units by name.
type UnitsSpec struct {
	Units        int
	TasksPerUnit int
	AsOf         ledger.Date // deadlines spread around this day
	TimeZone     string      // the plans' zone; "" is Asia/Shanghai
}

// Per unit: five departments, an officer in each, two leaders — so the
// province (10,000 units) has 50,000 officers and 20,000 leaders.
const (
	UnitTasks       = 25
	UnitOfficers    = 5
	UnitLeaders     = 2
	ProvinceUnits   = 10000
	ComparisonUnits = 400 // × 25 = 10,000 tasks, the size of issue 2's benchmarks
	unitDeadlineDay = 90  // dated deadlines fall within ±unitDeadlineDay of AsOf
)

// EnvProvince, set to 1, adds the province scale to the unit benchmarks
// (it takes minutes); by default they run at ComparisonUnits only.
const EnvProvince = "RECTIBOT_BENCH_PROVINCE"

// UnitSizes is the number of units the benchmarks run at: 400 (10,000
// tasks), and 10,000 (250,000 tasks) when EnvProvince=1.
func UnitSizes() []int {
	if os.Getenv(EnvProvince) == "1" {
		return []int{ComparisonUnits, ProvinceUnits}
	}
	return []int{ComparisonUnits}
}

// UnitDepartments are every unit's departments; UnitOfficerNames[i] is
// the officer of UnitDepartments[i].
var (
	UnitDepartments  = []string{"办公室", "人事股", "计划财务股", "政策法规股", "业务股"}
	UnitOfficerNames = []string{"张伟", "李娜", "王芳", "刘洋", "陈静"}
	// UnitLeaderNames[0] leads the first three departments, [1] the rest.
	UnitLeaderNames = []string{"王建国", "李志强"}
)

var (
	countyFirst  = []string{"清", "安", "永", "平", "新", "长", "东", "西", "南", "北", "宁", "兴", "丰", "和", "建", "宝", "德", "福", "江", "泰"}
	countySecond = []string{"河", "阳", "丰", "城", "山", "江", "源", "远", "乐", "宁", "溪", "川", "泉", "林", "湖", "原", "安", "定", "化", "昌"}
	countyKinds  = []string{"县", "区", "市"}
	bureaus      = []string{
		"教育局", "财政局", "人社局", "民政局", "司法局", "住建局", "交通运输局", "水利局", "农业农村局", "商务局",
		"文广旅体局", "卫健委", "退役军人事务局", "应急管理局", "审计局", "市场监管局", "统计局", "医保局", "林业局", "自然资源局",
		"生态环境局", "城管局", "信访局", "科工局", "发改局",
	}
)

// UnitLedger is one unit's generated 台账 and the names its import gives.
type UnitLedger struct {
	Name      string // 中共清河县教育局党组: unique across units
	ShortName string // 清河县教育局
	SelfName  string // 局党组
	PlanTitle string
	Rows      []ledger.Row
}

// Unit generates the i-th unit (0 ≤ i < 30,000): deterministic, and
// independent of the others, so units can be made in any order.
func (s UnitsSpec) Unit(i int) UnitLedger {
	b := i % len(bureaus)
	c := i / len(bureaus)
	pairs := len(countyFirst) * len(countySecond)
	if c >= pairs*len(countyKinds) {
		panic("ledgergen: too many units for the name pools")
	}
	p := c % pairs
	short := countyFirst[p%len(countyFirst)] + countySecond[p/len(countyFirst)] + countyKinds[c/pairs] + bureaus[b]
	u := UnitLedger{Name: "中共" + short + "党组", ShortName: short, SelfName: "局党组",
		PlanTitle: short + "党组关于县委巡察反馈意见的整改台账"}
	u.Rows = s.unitRows(rand.New(rand.NewPCG(seed1, uint64(i)+1)))
	return u
}

// unitRows are a unit's rows: problems of one to three tasks under three
// categories, every department given at least one task. Most of a unit is
// on track — a dated task past its deadline is mostly closed — so that on
// a working day about one officer in five has something overdue.
func (s UnitsSpec) unitRows(r *rand.Rand) []ledger.Row {
	g := &gen{r: r}
	n := s.TasksPerUnit
	rows := make([]ledger.Row, 0, n)
	cover := r.Perm(len(UnitDepartments))
	problem := 0
	for len(rows) < n {
		problem++
		subs := min(1+r.IntN(3), n-len(rows))
		title := g.pick(problemSubjects) + g.pick(problemIssues) + g.pick(problemTails)
		cat := categoryName(len(rows) * 3 / n)
		for k := 1; k <= subs; k++ {
			i := len(rows)
			d := r.IntN(len(UnitDepartments))
			if i < len(cover) {
				d = cover[i]
			}
			code, detail := fmt.Sprint(problem), ""
			if subs > 1 {
				code = fmt.Sprintf("%d(%d)", problem, k)
				detail = detailFacts[(problem+k)%len(detailFacts)]
			}
			row := ledger.Row{Seq: i + 1, SourceRow: i + 2, Category: cat, ProblemCode: code, ProblemTitle: title, Detail: detail,
				Measures: []string{g.text("一是", measurePhrases, 60, 160), g.text("二是", measurePhrases, 60, 160)},
				Leader:   UnitLeaderNames[min(d/3, 1)], Department: UnitDepartments[d], Officer: UnitOfficerNames[d]}
			s.state(r, &row)
			if row.Status != ledger.StatusNotStarted {
				row.Progress = g.text("", progressPhrases, 60, 160)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// state gives a row its deadline and status.
func (s UnitsSpec) state(r *rand.Rand, row *ledger.Row) {
	if r.IntN(100) < longTermPct {
		row.Deadline = ledger.Deadline{LongTerm: true, Recurrence: ledger.DefaultRecurrence}
		row.Status, row.StageDone = ledger.StatusOngoing, r.IntN(3) == 0
		return
	}
	row.Deadline = ledger.Deadline{Date: s.AsOf.AddDays(r.IntN(2*unitDeadlineDay+1) - unitDeadlineDay)}
	x := r.IntN(100)
	if row.Deadline.Date.Before(s.AsOf) {
		switch {
		case x < 80:
			row.Status = ledger.StatusClosed
		case x < 90:
			row.Status = ledger.StatusPendingVerification
		case x < 97:
			row.Status = ledger.StatusInProgress
		default:
			row.Status = ledger.StatusNotStarted
		}
		return
	}
	switch {
	case x < 25:
		row.Status = ledger.StatusClosed
	case x < 35:
		row.Status = ledger.StatusPendingVerification
	case x < 80:
		row.Status = ledger.StatusInProgress
	default:
		row.Status = ledger.StatusNotStarted
	}
}

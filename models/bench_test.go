package models_test

// The benchmarks of issue 2: a generated 台账 of 10,000 tasks in 500
// departments, imported, digested and read back for export, on whichever
// database DATABASE_URL selects (PostgreSQL, or the embedded SQLite when it
// is unset). Run them on both:
//
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	    go test -run '^$' -bench . -benchtime 3x ./models/
//	DATABASE_URL= go test -run '^$' -bench . -benchtime 3x ./models/
//
// Targets on PostgreSQL: a digest of 10,000 tasks in ≤ 100 ms and ≤ 3
// queries; an import of ≥ 2,000 rows/s. The benchmarks only measure and
// print; every "x_…" and "…_vs_…" ratio is target-relative so that ≥ 1 means
// the target is met. TestDigestQueryCountIsConstant is the assertion.

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
)

// ---------------------------------------------------------------------------
// Targets and the fixed day.

const (
	targetImportRowsPerSec = 2000.0
	targetDigestMillis     = 100.0
	targetDigestQueries    = 3.0
)

// benchAsOf is the day every digest is computed for; deadlines spread
// ±60 days around it.
var benchAsOf = ledger.MustDate(2021, time.September, 14)

// benchClock is 09:00 on benchAsOf in the plan's zone, so the import's
// timestamps are the same on every run.
func benchClock() clock.Clock {
	return clock.NewManual(time.Date(2021, time.September, 14, 1, 0, 0, 0, time.UTC))
}

func benchPlan(tasks int) models.PlanSpec {
	return models.PlanSpec{
		Title: fmt.Sprintf("市局党委巡察反馈问题整改台账（基准，%d 项）", tasks),
		Team:  "市委第三巡察组", Unit: "市某局",
		FeedbackDate: ledger.MustDate(2021, time.June, 1),
		Year:         2021,
	}
}

// ---------------------------------------------------------------------------
// The generator.

// ledgerSpec sizes a generated 台账.
type ledgerSpec struct {
	Tasks       int
	Departments int // one leader per 5 departments, 2 officers per department
	Categories  int
}

var spec10k = ledgerSpec{Tasks: 10000, Departments: 500, Categories: 40}

// ledger10k is generated once per test binary: the import benchmark uses the
// same rows in every iteration.
var ledger10k = sync.OnceValue(func() []ledger.Row { return genLedger(spec10k) })

const (
	textMinRunes = 100 // a measure item or a progress text
	textMaxRunes = 300
	longTermPct  = 8  // % of tasks with a 长期坚持 deadline
	lixingCount  = 10 // 立行立改一…十 problems at the end of the file
	deadlineDays = 60 // deadlines fall within ±deadlineDays of benchAsOf
	seed1, seed2 = 2021, 914
)

var chineseNumerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
	"郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
	"魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
}

var givenNames = []string{
	"建国", "志强", "秀英", "海燕", "文华", "晓东", "丽娟", "国庆", "红梅", "振华",
	"卫东", "春生", "桂兰", "明辉", "雪梅", "立新", "玉珍", "永刚", "淑芬", "德胜",
	"慧敏", "少华", "凤英", "光明", "素梅", "庆丰", "晓燕", "宏伟", "金凤", "学军",
	"思远", "静怡", "子涵", "浩然", "雨桐", "俊杰", "欣怡", "嘉豪", "梦琪", "宇航",
}

var deptAreas = []string{
	"综合", "财务", "人事", "规划", "法规", "审计", "信访", "宣传", "安全", "基建",
	"信息", "后勤", "监察", "统计", "采购", "资产", "档案", "保密", "党建", "纪检",
	"工会", "科技", "质量", "项目", "运维",
}

var deptKinds = []string{
	"管理", "服务", "督查", "协调", "保障", "发展", "监督", "综合", "业务", "指导",
	"运行", "推进", "研究", "核查", "执法", "规划", "建设", "审核", "调度", "评估",
}

var categoryThemes = []string{
	"贯彻落实党的路线方针政策和党中央决策部署", "落实全面从严治党主体责任", "落实监督责任",
	"意识形态工作", "基层党组织建设", "干部队伍建设", "选人用人工作", "作风建设",
	"财务管理", "政府采购和工程建设",
}

var categoryAspects = []string{"方面存在的问题", "不到位的问题", "存在的薄弱环节", "落实不力的问题"}

var problemSubjects = []string{
	"党风廉政建设责任制", "意识形态工作责任制", "财务管理制度", "选人用人工作", "政府采购程序",
	"公务用车管理", "基层党组织建设", "“三重一大”决策制度", "干部日常监督", "内部控制制度",
	"固定资产管理", "专项资金使用", "巡察整改工作", "中央八项规定精神", "档案管理工作",
}

var problemIssues = []string{
	"落实不到位", "执行不严格", "存在薄弱环节", "监督检查不够有力", "制度建设滞后",
	"责任传导层层递减", "流于形式、走过场", "整改落实不彻底", "长效机制不健全", "程序不规范",
}

var problemTails = []string{
	"，个别科室仍存在应付了事现象", "，部分工作停留在会议和文件上", "，问题整改后出现反弹",
	"，主体责任意识有待加强", "，对苗头性问题发现不及时", "",
}

var detailFacts = []string{
	"抽查发现2020年度有12笔支出未经集体研究即予列支",
	"部分合同未履行法律审核程序，合同台账记录不完整",
	"个别干部对廉政风险点认识不清，防控措施针对性不强",
	"专题学习记录内容简单，学习效果未进行检验",
	"固定资产账实不符，有3台设备长期闲置未办理处置手续",
	"公务用车使用登记不完整，部分派车单无审批人签字",
	"党支部“三会一课”记录不规范，组织生活会批评意见辣味不足",
	"对下属单位监督检查频次不够，发现问题后跟踪督办不到位",
	"干部档案材料归档不及时，部分材料缺少组织审核意见",
	"采购项目存在化整为零规避公开招标的情况",
}

var measurePhrases = []string{
	"进一步健全完善相关管理制度，明确职责分工和工作流程",
	"组织开展专项自查自纠，对发现的问题逐项建立台账、限期销号",
	"加强对重点岗位和关键环节的日常监督检查",
	"定期召开专题会议研究部署整改工作，确保责任落实到人",
	"强化学习教育，提高干部职工的纪律意识和规矩意识",
	"建立健全长效机制，防止类似问题反弹回潮",
	"对照巡察反馈意见，举一反三查找同类问题",
	"严格执行“三重一大”集体决策制度，规范议事程序",
	"加强财务收支管理，严格审核各项经费支出",
	"完善档案资料的收集、整理和归档工作",
	"对相关责任人进行约谈提醒，督促其认真履职尽责",
	"会同相关科室开展联合检查，及时通报检查结果",
	"按月报送整改进展情况，主动接受上级部门监督",
	"将整改落实情况纳入年度目标责任考核内容",
	"聘请第三方机构开展专项审计，对审计发现的问题一并整改",
	"修订完善内部控制手册，梳理廉政风险点并制定防控措施",
}

var progressPhrases = []string{
	"已召开党委会专题研究部署整改工作",
	"已制定印发《关于进一步加强内部管理的实施办法》",
	"完成自查自纠工作，共排查问题17项，已整改到位15项",
	"组织全体干部职工开展集中学习2次",
	"相关制度已修订完善并于8月起正式施行",
	"对个别问题正在持续推进整改，预计按期完成",
	"已对3名相关责任人进行约谈提醒",
	"建立整改工作台账，实行周调度、月通报",
	"完成固定资产清查盘点，账实相符率达到100%",
	"已将整改情况在局内网进行公示，接受干部职工监督",
	"纪检组全程参与监督，确保整改工作质量",
	"下一步将继续巩固整改成果，防止问题反弹",
}

// gen holds the generator's state: one seeded source, so the same spec
// always yields the same rows.
type gen struct {
	r *rand.Rand
}

// text writes a sentence of min–max runes from pool, starting with prefix.
func (g *gen) text(prefix string, pool []string, min, max int) string {
	target := min + g.r.IntN(max-min+1)
	var b strings.Builder
	b.WriteString(prefix)
	n := utf8.RuneCountInString(prefix)
	first := true
	for n < target {
		if !first {
			sep := "，"
			if g.r.IntN(3) == 0 {
				sep = "；"
			}
			b.WriteString(sep)
			n++
		}
		first = false
		p := pool[g.r.IntN(len(pool))]
		b.WriteString(p)
		n += utf8.RuneCountInString(p)
	}
	rs := []rune(b.String())
	if len(rs) > max-1 {
		rs = rs[:max-1]
	}
	for len(rs) > 0 && strings.ContainsRune("，；、“《", rs[len(rs)-1]) {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "。"
}

func (g *gen) pick(pool []string) string { return pool[g.r.IntN(len(pool))] }

func personName(k int) string {
	if k >= len(surnames)*len(givenNames) {
		panic("genLedger: too many people for the name pools")
	}
	return surnames[k%len(surnames)] + givenNames[k/len(surnames)]
}

func departmentName(d int) string {
	if d >= len(deptAreas)*len(deptKinds) {
		panic("genLedger: too many departments for the name pools")
	}
	return deptAreas[d%len(deptAreas)] + deptKinds[d/len(deptAreas)] + "科"
}

func categoryName(c int) string {
	theme := categoryThemes[c%len(categoryThemes)]
	aspect := categoryAspects[(c/len(categoryThemes))%len(categoryAspects)]
	name := theme + aspect
	if c >= len(categoryThemes)*len(categoryAspects) {
		name += fmt.Sprintf("（%d）", c/(len(categoryThemes)*len(categoryAspects))+1)
	}
	return name
}

// genLedger returns spec.Tasks rows as the importer would have returned
// them from a file (header on row 1): 序号 1..N, unique codes, the rows of a
// problem together and agreeing on category and title, each officer in one
// department, each department with one leader (one leader for every five
// departments) and two officers.
func genLedger(spec ledgerSpec) []ledger.Row {
	g := &gen{r: rand.New(rand.NewPCG(seed1, seed2))}
	D := spec.Departments
	leaders := (D + 4) / 5
	depts := make([]string, D)
	for d := range depts {
		depts[d] = departmentName(d)
	}
	leaderOf := func(d int) string { return personName(d / 5) }
	officerOf := func(d, j int) string { return personName(leaders + 2*d + j) }
	cover := g.r.Perm(D) // the first D tasks visit every department once

	statusOf := func(dl ledger.Deadline) ledger.Status {
		if dl.LongTerm {
			return ledger.StatusOngoing
		}
		x := g.r.IntN(100)
		if dl.Date.Before(benchAsOf) { // mostly done, some late
			switch {
			case x < 50:
				return ledger.StatusClosed
			case x < 65:
				return ledger.StatusPendingVerification
			case x < 90:
				return ledger.StatusInProgress
			default:
				return ledger.StatusNotStarted
			}
		}
		switch {
		case x < 20:
			return ledger.StatusClosed
		case x < 35:
			return ledger.StatusPendingVerification
		case x < 75:
			return ledger.StatusInProgress
		default:
			return ledger.StatusNotStarted
		}
	}

	rows := make([]ledger.Row, 0, spec.Tasks)
	regular := spec.Tasks - min(lixingCount, spec.Tasks/10)
	problem, lx := 0, 0
	for len(rows) < spec.Tasks {
		lixing := len(rows) >= regular
		subs := 1
		var number string
		if lixing { // 立行立改一…十: single-task problems, their own numbering
			number = "立行立改" + chineseNumerals[lx]
			lx++
		} else {
			problem++
			number = fmt.Sprint(problem)
			subs = min(1+g.r.IntN(3), regular-len(rows))
		}
		cat := categoryName(len(rows) * spec.Categories / spec.Tasks)
		fact := g.r.IntN(len(detailFacts))
		title := g.pick(problemSubjects) + g.pick(problemIssues) + g.pick(problemTails)
		for s := 1; s <= subs; s++ {
			i := len(rows)
			d := g.r.IntN(D)
			if i < D {
				d = cover[i]
			}
			var dl ledger.Deadline
			if g.r.IntN(100) < longTermPct {
				dl = ledger.Deadline{LongTerm: true, Recurrence: ledger.DefaultRecurrence}
			} else {
				dl = ledger.Deadline{Date: benchAsOf.AddDays(g.r.IntN(2*deadlineDays+1) - deadlineDays)}
			}
			code, detail := number, ""
			switch {
			case subs > 1:
				code = fmt.Sprintf("%s(%d)", number, s)
				detail = detailFacts[(fact+s)%len(detailFacts)]
			case lixing || g.r.IntN(2) == 0:
				detail = g.text("经查，", detailFacts, 40, 120)
			}
			measures := make([]string, 3)
			for m := range measures {
				measures[m] = g.text(chineseNumerals[m]+"是", measurePhrases, textMinRunes, textMaxRunes)
			}
			st := statusOf(dl)
			progress := ""
			if st != ledger.StatusNotStarted || g.r.IntN(10) < 3 {
				progress = g.text("", progressPhrases, textMinRunes, textMaxRunes)
			}
			rows = append(rows, ledger.Row{
				SourceRow: i + 2, Seq: i + 1,
				Category: cat, ProblemCode: code, ProblemTitle: title, Detail: detail,
				Measures: measures,
				Leader:   leaderOf(d), Department: depts[d], Officer: officerOf(d, g.r.IntN(2)),
				Deadline: dl, Status: st, Progress: progress,
			})
		}
	}
	return rows
}

// ---------------------------------------------------------------------------
// Shared setup.

// importLedger imports rows into a fresh database and returns the store,
// a statement counter on its handle and the plan's id.
func importLedger(tb testing.TB, rows []ledger.Row) (*models.Store, *testdb.QueryCounter, models.ImportSummary) {
	tb.Helper()
	db, _ := testdb.Open(tb)
	qc := testdb.CountQueries(tb, db)
	store := models.NewStore(db, benchClock())
	sum, err := store.ImportPlan(context.Background(), benchPlan(len(rows)), rows, models.CLIActor, false)
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	if sum.Tasks != len(rows) {
		tb.Fatalf("import: %d tasks, want %d", sum.Tasks, len(rows))
	}
	return store, qc, sum
}

// expectedDigest computes, from the rows alone, what the digest must count.
func expectedDigest(rows []ledger.Row, th ledger.LightThresholds) (byStatus map[ledger.Status]int, byLight map[ledger.Light]int, listed int) {
	byStatus, byLight = map[ledger.Status]int{}, map[ledger.Light]int{}
	for _, r := range rows {
		li := ledger.LightOf(r.Status, r.Deadline.Date, benchAsOf, th)
		byStatus[r.Status]++
		byLight[li]++
		if li != ledger.LightGreen {
			listed++
		}
	}
	return byStatus, byLight, listed
}

func checkDigest(tb testing.TB, d ledger.Digest, rows []ledger.Row, depts int) {
	tb.Helper()
	byStatus, byLight, listed := expectedDigest(rows, ledger.DefaultLightThresholds)
	if d.Total != len(rows) || len(d.Departments) != depts {
		tb.Fatalf("digest: %d tasks in %d departments, want %d in %d", d.Total, len(d.Departments), len(rows), depts)
	}
	if !reflect.DeepEqual(d.ByStatus, byStatus) || !reflect.DeepEqual(d.ByLight, byLight) {
		tb.Fatalf("digest: by status %v, by light %v; want %v, %v", d.ByStatus, d.ByLight, byStatus, byLight)
	}
	if got := len(d.OverdueList) + len(d.DueSoon); got != listed {
		tb.Fatalf("digest: %d tasks listed (overdue + due soon), want %d", got, listed)
	}
}

// ---------------------------------------------------------------------------
// Benchmarks. Each runs as a sub-benchmark named after the database, so the
// output lines say which engine they measured.

// BenchmarkImport10k times Store.ImportPlan of the 10,000 rows into a fresh
// database per iteration (creating and migrating it is not timed).
func BenchmarkImport10k(b *testing.B) {
	rows := ledger10k()
	b.Run(string(testdb.Kind()), func(b *testing.B) {
		ctx := context.Background()
		var (
			queries int64
			sum     models.ImportSummary
		)
		for b.Loop() {
			b.StopTimer()
			db, _ := testdb.Open(b)
			qc := testdb.CountQueries(b, db)
			store := models.NewStore(db, benchClock())
			b.StartTimer()

			s, err := store.ImportPlan(ctx, benchPlan(len(rows)), rows, models.CLIActor, false)

			b.StopTimer()
			if err != nil {
				b.Fatalf("import: %v", err)
			}
			sum, queries = s, qc.N()
			_ = models.Close(db) // free the pool now; the cleanup drops the schema
			b.StartTimer()
		}
		perSec := float64(len(rows)*b.N) / b.Elapsed().Seconds()
		b.ReportMetric(perSec, "rows/s")
		b.ReportMetric(perSec/targetImportRowsPerSec, "x_target")
		b.ReportMetric(float64(queries), "queries/import")
		b.Logf("%s: imported %d tasks (%d problems, %d categories, %d departments, %d people, %d measures, %d progress entries) "+
			"in %.0f ms per import: %.0f rows/s = %.2f× the %.0f rows/s target; %d SQL statements per import",
			testdb.Kind(), sum.Tasks, sum.Problems, sum.Categories, sum.Departments, sum.NewPeople, sum.Measures, sum.ProgressItems,
			b.Elapsed().Seconds()*1000/float64(b.N), perSec, perSec/targetImportRowsPerSec, targetImportRowsPerSec, queries)
	})
}

// BenchmarkDigest10k times Store.Digest of the imported 10,000-task plan
// and counts the SQL statements one call runs.
func BenchmarkDigest10k(b *testing.B) {
	rows := ledger10k()
	b.Run(string(testdb.Kind()), func(b *testing.B) {
		ctx := context.Background()
		store, qc, sum := importLedger(b, rows)
		filter := models.DigestFilter{PlanID: sum.PlanID}
		th := ledger.DefaultLightThresholds

		// One untimed call: check the result and time the cold call.
		var (
			d   ledger.Digest
			err error
		)
		start := time.Now()
		firstQueries := qc.Count(func() { d, err = store.Digest(ctx, filter, benchAsOf, th) })
		cold := time.Since(start)
		if err != nil {
			b.Fatalf("digest: %v", err)
		}
		checkDigest(b, d, rows, spec10k.Departments)

		qc.Reset()
		for b.Loop() {
			if _, err := store.Digest(ctx, filter, benchAsOf, th); err != nil {
				b.Fatalf("digest: %v", err)
			}
		}
		ms := b.Elapsed().Seconds() * 1000 / float64(b.N)
		queries := float64(qc.N()) / float64(b.N)
		b.ReportMetric(ms, "ms/digest")
		b.ReportMetric(queries, "queries/digest")
		b.ReportMetric(targetDigestMillis/ms, "x_100ms_target")
		b.ReportMetric(targetDigestQueries/queries, "queries_vs_3")
		b.Logf("%s: digest of %d tasks in %d departments (%d overdue listed, %d due soon): %.1f ms (first call %.1f ms) = %.2f× the 100 ms target; "+
			"%.0f SQL statements per digest (first call %d), target ≤ 3",
			testdb.Kind(), d.Total, len(d.Departments), len(d.OverdueList), len(d.DueSoon), ms, cold.Seconds()*1000,
			targetDigestMillis/ms, queries, firstQueries)
	})
}

// BenchmarkLedgerRows10k times Store.LedgerRows, the query behind every
// export, of the imported 10,000-task plan.
func BenchmarkLedgerRows10k(b *testing.B) {
	rows := ledger10k()
	b.Run(string(testdb.Kind()), func(b *testing.B) {
		ctx := context.Background()
		store, qc, sum := importLedger(b, rows)

		var (
			got []models.LedgerRow
			err error
		)
		firstQueries := qc.Count(func() { got, err = store.LedgerRows(ctx, sum.PlanID) })
		if err != nil {
			b.Fatalf("ledger rows: %v", err)
		}
		checkLedgerRows(b, got, rows)

		qc.Reset()
		for b.Loop() {
			if _, err := store.LedgerRows(ctx, sum.PlanID); err != nil {
				b.Fatalf("ledger rows: %v", err)
			}
		}
		ms := b.Elapsed().Seconds() * 1000 / float64(b.N)
		queries := float64(qc.N()) / float64(b.N)
		b.ReportMetric(ms, "ms/export")
		b.ReportMetric(queries, "queries/export")
		b.Logf("%s: LedgerRows of %d tasks (%d measures, %d progress entries): %.1f ms, %.0f SQL statements (first call %d)",
			testdb.Kind(), len(got), sum.Measures, sum.ProgressItems, ms, queries, firstQueries)
	})
}

// checkLedgerRows checks the export reads back exactly what was imported
// (but the file row numbers, which are not stored).
func checkLedgerRows(tb testing.TB, got []models.LedgerRow, want []ledger.Row) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("ledger rows: %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		w := want[i]
		w.SourceRow = 0
		if !reflect.DeepEqual(got[i].Row, w) {
			tb.Fatalf("ledger row %d:\n got %+v\nwant %+v", i, got[i].Row, w)
		}
	}
}

// ---------------------------------------------------------------------------
// Tests.

// TestDigestQueryCountIsConstant: a digest runs the same number of SQL
// statements, at most 3, whether the plan has 100 tasks or 2,000, and
// whatever the filter.
func TestDigestQueryCountIsConstant(t *testing.T) {
	ctx := context.Background()
	th := ledger.DefaultLightThresholds
	specs := []ledgerSpec{
		{Tasks: 100, Departments: 5, Categories: 4},
		{Tasks: 2000, Departments: 100, Categories: 16},
	}
	counts := make([]int64, len(specs))
	for i, spec := range specs {
		t.Run(fmt.Sprintf("%d_tasks", spec.Tasks), func(t *testing.T) {
			rows := genLedger(spec)
			store, qc, sum := importLedger(t, rows)
			var (
				d   ledger.Digest
				err error
			)
			counts[i] = qc.Count(func() { d, err = store.Digest(ctx, models.DigestFilter{PlanID: sum.PlanID}, benchAsOf, th) })
			if err != nil {
				t.Fatal(err)
			}
			checkDigest(t, d, rows, spec.Departments)
			if counts[i] > targetDigestQueries {
				t.Errorf("a digest of %d tasks ran %d SQL statements, want at most %d", spec.Tasks, counts[i], int(targetDigestQueries))
			}
			for _, f := range []models.DigestFilter{{}, {PlanID: sum.PlanID, Department: rows[0].Department}} {
				n := qc.Count(func() { _, err = store.Digest(ctx, f, benchAsOf, th) })
				if err != nil {
					t.Fatal(err)
				}
				if n != counts[i] {
					t.Errorf("digest with filter %+v ran %d SQL statements, the plan's digest %d", f, n, counts[i])
				}
			}
		})
	}
	if counts[0] != counts[1] {
		t.Errorf("a digest of %d tasks ran %d SQL statements, of %d tasks %d: the count must not grow with the ledger",
			specs[0].Tasks, counts[0], specs[1].Tasks, counts[1])
	}
}

// TestBenchLedgerIsValid: the generated 台账 is one an importer accepts
// unchanged, written out as the export writes it and read back by the
// importer, and it has the shape the benchmarks promise.
func TestBenchLedgerIsValid(t *testing.T) {
	spec := spec10k
	if testing.Short() {
		spec = ledgerSpec{Tasks: 2000, Departments: 100, Categories: 16}
	}
	rows := genLedger(spec)
	if spec == spec10k && !reflect.DeepEqual(rows, ledger10k()) {
		t.Fatal("genLedger is not deterministic")
	}

	// Shape.
	var (
		depts, cats, leaders = map[string]bool{}, map[string]bool{}, map[string]bool{}
		officers             = map[string]string{}
		problemTasks         = map[string]int{}
		longTerm, progress   int
		statuses             = map[ledger.Status]int{}
	)
	inRange := func(s string) bool {
		n := utf8.RuneCountInString(s)
		return n >= textMinRunes && n <= textMaxRunes
	}
	for i, r := range rows {
		depts[r.Department], cats[r.Category], leaders[r.Leader] = true, true, true
		officers[r.Officer] = r.Department
		problemTasks[ledger.ProblemNumber(r.ProblemCode)]++
		statuses[r.Status]++
		if r.Deadline.LongTerm {
			longTerm++
			if r.Deadline.Recurrence != ledger.DefaultRecurrence || !r.Deadline.Date.IsZero() {
				t.Errorf("row %d: long-term deadline %+v", i, r.Deadline)
			}
		} else if days := benchAsOf.DaysUntil(r.Deadline.Date); days < -deadlineDays || days > deadlineDays {
			t.Errorf("row %d: deadline %s is %d days from %s", i, r.Deadline.Date, days, benchAsOf)
		}
		if len(r.Measures) != 3 {
			t.Errorf("row %d: %d measures, want 3", i, len(r.Measures))
		}
		for _, m := range r.Measures {
			if !inRange(m) {
				t.Errorf("row %d: a measure of %d runes", i, utf8.RuneCountInString(m))
			}
		}
		if r.Progress != "" {
			progress++
			if !inRange(r.Progress) {
				t.Errorf("row %d: progress of %d runes", i, utf8.RuneCountInString(r.Progress))
			}
		}
	}
	if len(depts) != spec.Departments || len(cats) != spec.Categories ||
		len(leaders) != (spec.Departments+4)/5 || len(officers) != 2*spec.Departments {
		t.Errorf("%d departments, %d categories, %d leaders, %d officers; want %d, %d, %d, %d",
			len(depts), len(cats), len(leaders), len(officers),
			spec.Departments, spec.Categories, (spec.Departments+4)/5, 2*spec.Departments)
	}
	for p, n := range problemTasks {
		if n < 1 || n > 3 {
			t.Errorf("problem %s has %d tasks, want 1–3", p, n)
		}
	}
	for _, st := range []ledger.Status{ledger.StatusClosed, ledger.StatusInProgress, ledger.StatusNotStarted,
		ledger.StatusPendingVerification, ledger.StatusOngoing} {
		if statuses[st] == 0 {
			t.Errorf("no task is %s", st)
		}
	}
	if progress < len(rows)*7/10 {
		t.Errorf("%d of %d rows have a progress text, want most", progress, len(rows))
	}
	t.Logf("%d tasks, %d problems, %d categories, %d departments, %d leaders, %d officers, %d long-term, %d with progress; by status %v",
		len(rows), len(problemTasks), len(cats), len(depts), len(leaders), len(officers), longTerm, progress, statuses)

	// Through the importer: the rows as the export writes them, read back.
	ex := make([]render.ExportRow, len(rows))
	for i, r := range rows {
		ex[i] = render.ExportRow{Row: r}
	}
	var buf bytes.Buffer
	if err := render.WriteCSV(&buf, ex); err != nil {
		t.Fatal(err)
	}
	res, err := importer.ReadCSV(&buf, importer.Options{PlanYear: 2021, MaxBytes: 1 << 30})
	if err != nil {
		t.Fatalf("the importer rejects the generated ledger: %v", err)
	}
	if !reflect.DeepEqual(res.Rows, rows) {
		for i := range rows {
			if i >= len(res.Rows) || !reflect.DeepEqual(res.Rows[i], rows[i]) {
				t.Fatalf("row %d read back differs (%d rows read)", i, len(res.Rows))
			}
		}
		t.Fatalf("%d rows read back, want %d", len(res.Rows), len(rows))
	}
}

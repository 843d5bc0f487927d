// Package ledgergen generates large, valid 台账 ledgers for benchmarks and
// load tests: deterministic (one seeded source), realistic in shape and text
// length, and valid as the importer would have returned them.
package ledgergen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/ledger"
)

// Spec sizes a generated 台账.
type Spec struct {
	Tasks       int
	Departments int // one leader per 5 departments, 2 officers per department
	Categories  int
	AsOf        ledger.Date // deadlines spread around this day
}

// Spec10k is the benchmark ledger of issue 2: 10,000 tasks in 500
// departments, around 2021-09-14.
var Spec10k = Spec{Tasks: 10000, Departments: 500, Categories: 40, AsOf: ledger.MustDate(2021, 9, 14)}

const (
	textMinRunes = 100 // a measure item or a progress text
	textMaxRunes = 300
	longTermPct  = 8  // % of tasks with a 长期坚持 deadline
	lixingCount  = 10 // 立行立改一…十 problems at the end of the file
	deadlineDays = 60 // deadlines fall within ±deadlineDays of Spec.AsOf
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
		panic("ledgergen: too many people for the name pools")
	}
	return surnames[k%len(surnames)] + givenNames[k/len(surnames)]
}

func departmentName(d int) string {
	if d >= len(deptAreas)*len(deptKinds) {
		panic("ledgergen: too many departments for the name pools")
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

// Generate returns spec.Tasks rows as the importer would have returned
// them from a file (header on row 1): 序号 1..N, unique codes, the rows of a
// problem together and agreeing on category and title, each officer in one
// department, each department with one leader (one leader for every five
// departments) and two officers.
func Generate(spec Spec) []ledger.Row {
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
		if dl.Date.Before(spec.AsOf) { // mostly done, some late
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
				dl = ledger.Deadline{Date: spec.AsOf.AddDays(g.r.IntN(2*deadlineDays+1) - deadlineDays)}
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

// Overdue is n generated tasks, each with an officer of its own
// ("责任人00001" …), in progress and due the day before today: each officer
// has exactly one thing due today (an overdue notice) and nothing else for
// days. The scheduler's benchmark and fault tests use it.
func Overdue(n int, today ledger.Date) []ledger.Row {
	rows := Generate(Spec{Tasks: n, Departments: min(max(n/2, 1), 500), Categories: min(max(n/25, 1), 40), AsOf: today})
	for i := range rows {
		rows[i].Officer = fmt.Sprintf("责任人%05d", i+1)
		rows[i].Deadline = ledger.Deadline{Date: today.AddDays(-1)}
		rows[i].Status = ledger.StatusInProgress
	}
	return rows
}

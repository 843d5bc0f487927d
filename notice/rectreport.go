package notice

import (
	"fmt"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// RectReport is the 整改报告: the report the inspected unit owes the
// 巡察组 within two months of the feedback, signed by its 第一责任人. It
// shares the 通报's text where the two say the same thing — the 组织领导,
// 督促检查 and counts of 一、, every problem with its measures and progress
// in 二、, the unfinished items in 四、 — and has its own frame: the title
// <unit>关于<inspection>整改情况的报告, the team as 主送, 三、问题线索处置和
// 追责问责情况 from the result figures, and the signature block with the
// 第一责任人.
type RectReport struct {
	Report
	// Addressee is the 主送 line: the team, 市委第六巡察组：.
	Addressee string
	// Principal is the 第一责任人 (plans set --principal); "" leaves the
	// name blank for the hand that signs.
	Principal string
}

// The 整改报告's own words. Part three says only what the ledger holds:
// the clues handed over and the people held accountable as the office
// entered them (rectibot results add --kind clues|accountability), or
// that there are none recorded.
const (
	rectTitleTail  = "整改情况的报告"
	rectOpeningEnd = "现将整改情况报告如下："
	rectPartDone   = "二、反馈问题整改落实情况"
	rectPartClues  = "三、问题线索处置和追责问责情况"
	rectPartNext   = "四、下一步打算"
	rectCommitment = "今后，%s将自觉接受监督，坚持标准不降、力度不减，持续巩固整改成果，确保巡察反馈问题全面整改到位。"
	rectClosing    = "特此报告。"
	// principalFormat is the 第一责任人's line; principalBlank stands for a
	// name not set, room for the signature.
	principalFormat = "第一责任人：%s（签字）"
	principalBlank  = "　　　　"
)

// BuildRectReport writes the 整改报告 of plan as of asOf, from the same
// ledger rows and facts as Build. The addressee is the plan's team, the
// 第一责任人 the plan's principal.
func BuildRectReport(plan models.Plan, rows []models.LedgerRow, extra Extra, asOf ledger.Date) RectReport {
	r := RectReport{Report: Build(plan, rows, extra, asOf), Principal: strings.TrimSpace(plan.Principal)}
	team := strings.TrimSpace(plan.Team)
	if team == "" {
		team = "巡察组"
	}
	r.Addressee = team + "："
	r.Title, r.TitleLines = titleWith(r.Signature, inspectionName(plan, extra.Inspection), rectTitleTail)
	return r
}

func (r RectReport) blocks() []block { return punctuate(r.rawBlocks()) }

func (r RectReport) rawBlocks() []block {
	out := []block{
		{kind: kindTitle, text: r.Title, lines: append([]string(nil), r.TitleLines...)},
		{kind: kindAddressee, text: r.Addressee},
		{kind: kindBody, text: r.Opening[0] + rectOpeningEnd},
		{kind: kindPart, text: partWork},
	}
	out = append(out, r.workBlocks()...)
	out = append(out, block{kind: kindPart, text: rectPartDone})
	out = append(out, r.sectionBlocks()...)
	out = append(out, block{kind: kindPart, text: rectPartClues}, block{kind: kindBody, text: r.CluesSentence()})
	out = append(out, block{kind: kindPart, text: rectPartNext})
	out = append(out, r.nextBlocks()...)
	out = append(out, block{kind: kindBody, text: fmt.Sprintf(rectCommitment, r.Self)},
		block{kind: kindBody, text: rectClosing})
	if r.Signature != "" {
		out = append(out, block{kind: kindSignature, text: r.Signature})
	}
	return append(out, block{kind: kindDate, text: r.AsOf.Chinese()}, block{kind: kindPrincipal, text: r.PrincipalLine()})
}

// CluesSentence is 三、's paragraph, from the result figures as entered:
//
//	截至2021年9月14日，移交问题线索2件，问责3人。
//	截至2021年9月14日，暂无移交问题线索和追责问责情况。
//
// and the mixed cases (移交问题线索2件；暂无追责问责情况).
func (r RectReport) CluesSentence() string {
	var clues, accountable models.Amount
	for _, t := range r.Results {
		switch t.Kind {
		case models.ResultClues:
			clues = t.Amount
		case models.ResultAccountability:
			accountable = t.Amount
		}
	}
	head := "截至" + r.AsOf.Chinese() + "，"
	switch {
	case clues > 0 && accountable > 0:
		return head + fmt.Sprintf(resultWords[models.ResultClues], clues) + "，" + fmt.Sprintf(resultWords[models.ResultAccountability], accountable) + "。"
	case clues > 0:
		return head + fmt.Sprintf(resultWords[models.ResultClues], clues) + "；暂无追责问责情况。"
	case accountable > 0:
		return head + "暂无移交问题线索；" + fmt.Sprintf(resultWords[models.ResultAccountability], accountable) + "。"
	}
	return head + "暂无移交问题线索和追责问责情况。"
}

// PrincipalLine is 第一责任人：<name>（签字）, the name left blank when the
// plan names none.
func (r RectReport) PrincipalLine() string {
	name := r.Principal
	if name == "" {
		name = principalBlank
	}
	return fmt.Sprintf(principalFormat, name)
}

package notice

import "github.com/rectibot/rectibot/ledger"

// Document is a document the package lays out — the 通报 (Report), the
// 整改报告 (RectReport) and the 整改方案 (PlanDoc) — as paragraphs and
// tables in standard punctuation, which Markdown and DOCX lay out alike.
type Document interface {
	// blocks is the document's paragraphs and tables, in order, in
	// standard Chinese punctuation (punctuate).
	blocks() []block
	// header is the title and the date, for the .docx's properties.
	header() (title string, asOf ledger.Date)
}

func (r Report) header() (string, ledger.Date) { return r.Title, r.AsOf }

package notice

import "github.com/rectibot/rectibot/ledger"

// The embedded reference document (template/reference.docx) is built here
// from the parts of docx_parts.go, so that the file and the code cannot
// drift apart: TestTheEmbeddedReferenceIsBuiltFromTheParts compares them,
// and go generate ./notice rewrites the file.

// partsTemplate is the layout of docx_parts.go, as a Template.
func partsTemplate() *Template {
	ids := map[string]string{}
	for _, ps := range paragraphStyles {
		ids[ps.id] = ps.id
	}
	return &Template{
		styles: stylesXML, settings: settingsXML, fontTable: fontTableXML, footer: footerXML,
		page: pageSizeXML + pageMarginsXML, grid: docGridXML,
		// A4 less the left and right margins of pageMarginsXML.
		typeWidth: 11906 - 1587 - 1474,
		styleIDs:  ids,
	}
}

// buildReference writes the reference document: a page that shows each
// style the writer uses, in the layout of docx_parts.go, and says what an
// office may change in it.
func buildReference() ([]byte, error) { return partsTemplate().DOCX(referenceSample{}) }

// referenceSample is the reference document's text: what the file is for,
// and a paragraph of each style.
type referenceSample struct{}

func (referenceSample) header() (string, ledger.Date) {
	return "公文版式参考", ledger.Date{Year: 2021, Month: 9, Day: 14}
}

func (referenceSample) blocks() []block {
	return []block{
		{kind: kindTitle, text: "公文版式参考（Title）"},
		{kind: kindAddressee, text: "主送机关（Addressee）："},
		{kind: kindBody, text: "本文件是rectibot所写公文的版式。修改样式（字体、字号、行距、缩进）、页面设置或页脚后另存为Word文档，" +
			"以下列方式之一指定，公文即按新的版式生成："},
		{kind: kindBody, text: "rectibot notice --template 版式.docx"},
		{kind: kindBody, text: "RECTIBOT_DOCX_TEMPLATE=版式.docx"},
		{kind: kindBody, text: "公文的文字和表格由程序写入，本文件的文字不会出现在公文中。请保留本页所用的各段落样式。"},
		{kind: kindPart, text: "一、一级标题（Heading1，黑体）"},
		{kind: kindSection, text: "（一）二级标题（Heading2，楷体_GB2312）"},
		{kind: kindProblem, text: "1.三级标题（Heading3，仿宋_GB2312）"},
		{kind: kindBody, text: "正文（默认段落样式，仿宋_GB2312三号，固定行距28.95磅，首行缩进2字符）。"},
		{kind: kindSignature, text: "署名（Signature）"},
		{kind: kindDate, text: "日期（NoticeDate）"},
	}
}

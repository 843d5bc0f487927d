package notice

import "encoding/xml"

// The parts of a .docx. Those of the layout — styles.xml, settings.xml,
// fontTable.xml, footer1.xml and the page setup — are the embedded
// reference document's (template/reference.docx), which an office may
// replace (Template): the writer takes them from the template. The
// reference is built from the constants here by
// TestTheEmbeddedReferenceIsBuiltFromTheParts; after changing one, run
// go generate ./notice (the test fails until the two agree).
//
// The fonts of GB/T 9704. A Word run names one font per script, so the
// fallbacks are declared in word/fontTable.xml as each font's w:altName,
// which Word and LibreOffice use when the font is not installed:
//
//	方正小标宋简体 (title)        → 宋体 (SimSun)
//	仿宋_GB2312   (body, 1. level) → 仿宋 (FangSong)
//	黑体          (一、 level)     → SimHei
//	楷体_GB2312   (（一） level)   → 楷体 (KaiTi)
//
// Where none of them is installed (a Linux server), fontconfig substitutes
// a CJK font such as Noto Serif CJK SC; the layout holds, only the faces
// differ.
const (
	fontTitle   = "方正小标宋简体"
	fontBody    = "仿宋_GB2312"
	fontPart    = "黑体"
	fontSection = "楷体_GB2312"
	fontPage    = "宋体"
)

const (
	wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS   = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
	relBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	ctBase  = "application/vnd.openxmlformats-officedocument.wordprocessingml."
)

const contentTypesXML = xml.Header +
	`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="` + ctBase + `document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="` + ctBase + `styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="` + ctBase + `settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="` + ctBase + `fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="` + ctBase + `footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const packageRelsXML = xml.Header + `<Relationships ` + relNS + `>` +
	`<Relationship Id="rId1" Type="` + relBase + `officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const documentRelsXML = xml.Header + `<Relationships ` + relNS + `>` +
	`<Relationship Id="rIdStyles" Type="` + relBase + `styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="` + relBase + `settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFontTable" Type="` + relBase + `fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="rIdFooter1" Type="` + relBase + `footer" Target="footer1.xml"/>` +
	`</Relationships>`

// coreXML takes the escaped title and the report's date (YYYY-MM-DD).
const coreXML = xml.Header + `<cp:coreProperties ` +
	`xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
	`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
	`<dc:title>%s</dc:title><dc:creator>rectibot</dc:creator><dc:language>zh-CN</dc:language>` +
	`<dcterms:created xsi:type="dcterms:W3CDTF">%sT00:00:00Z</dcterms:created>` +
	`</cp:coreProperties>`

func fonts(name string) string {
	return `<w:rFonts w:ascii="` + name + `" w:eastAsia="` + name + `" w:hAnsi="` + name + `" w:cs="` + name + `" w:hint="eastAsia"/>`
}

// noIndent cancels the body's two-character first-line indent.
const noIndent = `<w:ind w:firstLineChars="0" w:firstLine="0"/>`

// noAutoSpace turns off the space Word and LibreOffice put between Chinese
// and Latin letters or digits. In a w:pPr it comes before w:spacing and
// w:ind (the schema's order, which Word checks).
const noAutoSpace = `<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>`

// The body: 三号 (16 pt, sz in half points) 仿宋, fixed line spacing of
// 28.95 pt (579 twips: 22 lines on the page), justified, the first line
// indented two characters (firstLineChars is in hundredths of a character;
// firstLine, 640 twips = 2 × 16 pt, is for readers without it).
var stylesXML = xml.Header + `<w:styles ` + wordNS + `>` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + fonts(fontBody) +
	`<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>` +
	`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>` +
	`<w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/>` +
	`<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>` +
	`</w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	// 二号 (22 pt) 小标宋, centred, a blank line below.
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:after="579" w:line="700" w:lineRule="exact"/>` + noIndent + `<w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr>` + fonts(fontTitle) + `<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>` +
	// The headings by the levels of GB/T 9704 7.3.3, indented as the body:
	// 一、 in 黑体, （一） in 楷体, 1. in 仿宋 (the body's font, not bold).
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr>` + fonts(fontPart) + `</w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr><w:rPr>` + fonts(fontSection) + `</w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:outlineLvl w:val="3"/></w:pPr><w:rPr>` + fonts(fontBody) + `<w:b w:val="0"/><w:bCs w:val="0"/></w:rPr></w:style>` +
	// The unit and the date: right-aligned, one blank line above the unit
	// (GB/T 9704 7.3.5.2); each paragraph sets its right indent
	// (signatureIndents), two characters unless it says otherwise. No
	// automatic space between Chinese and digits (autoSpaceDN), which
	// would widen the date past the characters the indents count.
	`<w:style w:type="paragraph" w:styleId="Signature"><w:name w:val="Signature"/><w:basedOn w:val="Normal"/><w:next w:val="NoticeDate"/>` +
	`<w:pPr><w:keepNext/>` + noAutoSpace + `<w:spacing w:before="579"/><w:ind w:right="640" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="NoticeDate"><w:name w:val="Date"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr>` + noAutoSpace + `<w:ind w:right="640" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/></w:pPr></w:style>` +
	// 主送机关: flush left under the title, without the body's indent.
	`<w:style w:type="paragraph" w:styleId="Addressee"><w:name w:val="Salutation"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>` +
	`<w:pPr>` + noIndent + `</w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:line="240" w:lineRule="auto"/>` + noIndent + `<w:jc w:val="center"/></w:pPr>` +
	`<w:rPr>` + fonts(fontPage) + `<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`</w:styles>`

const settingsXML = xml.Header + `<w:settings ` + wordNS + `>` +
	`<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>` +
	`<w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

func fontEntry(name, alt string) string {
	return `<w:font w:name="` + name + `"><w:altName w:val="` + alt + `"/><w:charset w:val="86"/>` +
		`<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`
}

// The fallbacks of the table above; charset 86 is GB2312.
var fontTableXML = xml.Header + `<w:fonts ` + wordNS + `>` +
	fontEntry(fontTitle, "宋体") + fontEntry(fontBody, "仿宋") + fontEntry(fontPart, "SimHei") +
	fontEntry(fontSection, "楷体") + fontEntry(fontPage, "SimSun") + `</w:fonts>`

// The page number: 4号 (14 pt) 宋体, between dashes, centred.
const footerXML = xml.Header + `<w:ftr ` + wordNS + `><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
	`<w:r><w:t xml:space="preserve">— </w:t></w:r>` +
	`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
	`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
	`<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`

// Page setup, in twentieths of a point: A4, and the margins of GB/T 9704
// (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 1 mm = 56.7 twips).
// The line grid gives 22 lines a page (28.95 pt). There is no character
// grid: LibreOffice spreads the characters of a grid of 28 a line far
// wider than Word does, and 三号 text gives 27 a line without one. The page
// number sits 7 mm below the text block.
const (
	pageSizeXML    = `<w:pgSz w:w="11906" w:h="16838"/>`
	pageMarginsXML = `<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="1304" w:gutter="0"/>`
	docGridXML     = `<w:docGrid w:type="lines" w:linePitch="579"/>`
)

// A template saved by Word carries a theme, which its styles may name
// fonts from; the writer carries it over with its content type and
// relationship.
const (
	themePart         = "word/theme/theme1.xml"
	themeContentType  = `<Override PartName="/` + themePart + `" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>`
	themeRelationship = `<Relationship Id="rIdTheme1" Type="` + relBase + `theme" Target="theme/theme1.xml"/>`
)

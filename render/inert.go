package render

import "strings"

// formulaStarts are the first characters that make a spreadsheet read a
// CSV cell as a formula (OWASP "CSV injection"): = + - @, and a tab or a
// carriage return, which some spreadsheets skip before looking again.
const formulaStarts = "=+-@\t\r"

// InertCell returns a CSV cell a spreadsheet shows as the text it is: one
// that would start a formula gets a leading apostrophe, which Excel,
// LibreOffice and WPS hide and take as "text". A progress text
// `=cmd|' /C calc'!A0` or a title `=HYPERLINK(…)` stays words on a sheet.
// The importer removes that apostrophe again (importer's unquoteCell), so
// an export imported back reads as it was written.
func InertCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

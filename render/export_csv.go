package render

import (
	"encoding/csv"
	"io"
)

// utf8BOM starts the CSV: without it Excel on Windows decodes the file in
// the system code page (GBK on a Chinese Windows) and every Chinese cell
// becomes mojibake. The importer and encoding/csv readers strip it.
const utf8BOM = "\uFEFF"

// WriteCSV writes the ledger as CSV: a UTF-8 BOM, the Columns header, then
// one record per row, quoted per RFC 4180, every cell inert (InertCell).
//
// Records end in LF, not RFC 4180's CRLF. Go's csv.Writer with UseCRLF also
// rewrites the newlines inside multi-line cells (整改措施, 整改情况) to CRLF,
// which changes the cell text for any reader that does not normalise it;
// with LF the cells stay byte-identical to the XLSX export. Excel,
// LibreOffice, WPS and encoding/csv all read LF records, and the fixture
// files (and thus the importer's tests) use LF too.
func WriteCSV(w io.Writer, rows []ExportRow) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for _, r := range rows {
		cells := ExportRowCells(r)
		for i, c := range cells {
			cells[i] = InertCell(c)
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

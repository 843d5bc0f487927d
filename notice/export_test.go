package notice

// DocTitle is a document's title, for the tests outside the package.
func DocTitle(d Document) string { t, _ := d.header(); return t }

// BuildReference builds the reference document from the parts of
// docx_parts.go, for the test that keeps template/reference.docx in step.
var BuildReference = buildReference

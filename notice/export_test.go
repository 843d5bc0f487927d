package notice

// DocTitle is a document's title, for the tests outside the package.
func DocTitle(d Document) string { t, _ := d.header(); return t }

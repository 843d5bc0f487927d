package main

import (
	"bytes"
	"fmt"
	"testing"
)

// TestTablesLineUpChineseNames: columns start at the same terminal column
// whatever mix of Chinese (two columns wide) and Latin text precedes them.
func TestTablesLineUpChineseNames(t *testing.T) {
	var out bytes.Buffer
	tw := newTable(&out)
	fmt.Fprintf(tw, "NAME\tDEPARTMENT\tLINKED\n")
	fmt.Fprintf(tw, "黄敏\t基层社会治理科\tyes\n")
	fmt.Fprintf(tw, "Zhou Jie\t政治部\tno\n")
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"NAME      DEPARTMENT      LINKED\n" +
		"黄敏      基层社会治理科  yes\n" +
		"Zhou Jie  政治部          no\n"
	if out.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", out.String(), want)
	}
}

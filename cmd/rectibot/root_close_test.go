package main

import (
	"errors"
	"testing"

	"github.com/spf13/cobra"
)

// TestTheDatabaseIsClosedHoweverACommandEnds: a command that fails after
// opening the database closes it as one that succeeds does (cobra's
// PersistentPostRun runs after success only).
func TestTheDatabaseIsClosedHoweverACommandEnds(t *testing.T) {
	for _, fail := range []bool{false, true} {
		a := &app{}
		closed := 0
		root := &cobra.Command{Use: "rectibot", SilenceErrors: true, SilenceUsage: true}
		sub := &cobra.Command{Use: "import", RunE: func(*cobra.Command, []string) error {
			a.closer = func() { closed++ } // what open sets
			if fail {
				return errors.New("row 2: bad deadline")
			}
			return nil
		}}
		root.AddCommand(sub)
		closeAfter(root, a)
		root.SetArgs([]string{"import"})
		err := root.Execute()
		if (err != nil) != fail || closed != 1 {
			t.Errorf("failing %v: err %v, closed %d times, want once", fail, err, closed)
		}
	}
}

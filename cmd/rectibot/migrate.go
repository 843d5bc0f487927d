package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newMigrateCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "database is up to date (%s)\n", a.cfg.Database.Dialect)
			return nil
		},
	}
}

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/scheduler"
)

func newJobsCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "jobs",
		Short: "List the reminders and digests that failed for good (the dead letters), for the office to follow up",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			q, err := scheduler.NewQueue(a.store.DB(), a.cfg.Database.Dialect, scheduler.NewWorkers(), nil, a.log)
			if err != nil {
				return err
			}
			failed, err := q.JobsFailed(cmd.Context())
			if err != nil {
				return err
			}
			if len(failed) == 0 {
				fmt.Fprintln(a.out, "no failed jobs")
				return nil
			}
			tw := newTable(a.out)
			fmt.Fprintln(tw, "WHEN\tKIND\tATTEMPTS\tARGS\tLAST ERROR")
			for _, f := range failed {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", f.FailedAt.In(a.cfg.TimeZone).Format("2006-01-02 15:04"), f.Kind, f.Attempts, f.Args, f.LastError)
			}
			return tw.Flush()
		},
	}
}

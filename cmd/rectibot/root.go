package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/config"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// app is what every subcommand works with: the validated configuration and,
// once opened, the migrated ledger.
type app struct {
	getenv config.Getenv
	cfg    config.Config
	log    *slog.Logger
	clock  clock.Clock
	out    io.Writer
	store  *models.Store
	closer func()
}

func newRootCommand(getenv config.Getenv) *cobra.Command {
	a := &app{getenv: getenv, clock: clock.System{}}
	root := &cobra.Command{
		Use:           "rectibot",
		Short:         "整改督办助手 — the rectification ledger and its Telegram bot",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.out = cmd.OutOrStdout()
			cfg, err := config.Load(a.getenv)
			if err != nil {
				return withCode(exitConfig, fmt.Errorf("configuration:\n%w", err))
			}
			a.cfg = cfg
			a.log = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: cfg.LogLevel}))
			return nil
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return withCode(exitUsage, err) })
	root.AddCommand(
		newMigrateCommand(a),
		newImportCommand(a),
		newExportCommand(a),
		newDigestCommand(a),
		newOverviewCommand(a),
		newPeopleCommand(a),
		newUnitsCommand(a), newPlansCommand(a), newResultsCommand(a),
		newInviteCommand(a),
		newServeCommand(a),
		newHealthcheckCommand(a),
		newDoctorCommand(a),
		newJobsCommand(a),
		newInboxCommand(a),
		newBackupCommand(a), newRestoreCommand(a),
		newNoticeCommand(a),
		newSandboxCommand(a),
	)
	closeAfter(root, a)
	return root
}

// closeAfter makes every command close the database when it ends, however
// it ends: cobra runs PersistentPostRun only after a command succeeded.
func closeAfter(c *cobra.Command, a *app) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			defer a.close()
			return run(cmd, args)
		}
	}
	for _, sub := range c.Commands() {
		closeAfter(sub, a)
	}
}

// close closes the database if a command opened it; once.
func (a *app) close() {
	if a.closer != nil {
		a.closer()
		a.closer = nil
	}
}

// open connects to the database and migrates it (every command may be the
// first to run against a new database).
func (a *app) open(ctx context.Context) error {
	db, err := models.Open(ctx, a.cfg.Database, a.log)
	if err != nil {
		return err
	}
	a.store = models.NewStore(db, a.clock)
	a.closer = func() { _ = models.Close(db) }
	if err := a.migrateTo(ctx, 0, 0); err != nil {
		a.close()
		return err
	}
	return nil
}

// migrateTo migrates the ledger's tables and then the job queue's, which
// live beside them, to the versions given (0: the newest).
func (a *app) migrateTo(ctx context.Context, ledger int64, river int) error {
	db := a.store.DB()
	if err := models.MigrateTo(ctx, db, a.cfg.Database, a.log, ledger); err != nil {
		return err
	}
	return scheduler.MigrateTo(ctx, db, a.cfg.Database, a.log, river)
}

func usageArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return withCode(exitUsage, fmt.Errorf("%w\nusage: %s", err, cmd.UseLine()))
		}
		return nil
	}
}

// Command rectibot is the 整改督办助手: the Telegram bot and the command-line
// tools of the rectification ledger. Each subcommand lives in its own file.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	// The zone database inside the binary (about 450 KB): the image built
	// FROM scratch has no /usr/share/zoneinfo, and RECTIBOT_TIME_ZONE and
	// the plans' zones (Asia/Shanghai by default) must load everywhere.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCommand(os.Getenv).ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rectibot:", err)
		var ec exitCoder
		if errors.As(err, &ec) {
			os.Exit(ec.ExitCode())
		}
		os.Exit(1)
	}
}

// exitCoder is an error that chooses the process's exit code.
type exitCoder interface{ ExitCode() int }

// Exit codes an operator's script can tell apart.
const (
	exitFailure  = 1 // the work failed (database unreachable, …)
	exitUsage    = 2 // bad flags or arguments
	exitBadInput = 3 // the input file was refused; nothing was changed
	exitConfig   = 78
)

type codedError struct {
	code int
	err  error
}

func (e codedError) Error() string { return e.err.Error() }
func (e codedError) Unwrap() error { return e.err }
func (e codedError) ExitCode() int { return e.code }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return codedError{code: code, err: err}
}

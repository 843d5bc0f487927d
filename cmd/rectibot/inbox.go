package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/models"
)

func newInboxCommand(a *app) *cobra.Command {
	var retry int64
	var limit int
	cmd := &cobra.Command{
		Use:   "inbox [--retry UPDATE_ID]",
		Short: "List the Telegram updates the bot could not handle (failed after retries, or refused by Telegram as a bug); --retry puts one back in line",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			if retry != 0 {
				ok, err := a.store.RequeueUpdate(cmd.Context(), retry, a.clock.Now())
				if err != nil {
					return err
				}
				if !ok {
					return withCode(exitBadInput, fmt.Errorf("update %d: no failed update with this id (see rectibot inbox)", retry))
				}
				fmt.Fprintf(a.out, "update %d is back in line; the running bot handles it within seconds\n", retry)
				return nil
			}
			failed, err := a.store.FailedUpdates(cmd.Context(), limit)
			if err != nil {
				return err
			}
			if len(failed) == 0 {
				fmt.Fprintln(a.out, "no failed updates")
				return nil
			}
			tw := newTable(a.out)
			fmt.Fprintln(tw, "WHEN\tUPDATE\tCHAT\tKIND\tATTEMPTS\tWHAT\tLAST ERROR")
			for _, u := range failed {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%d\t%s\t%s\n", u.DoneAt.In(a.cfg.TimeZone).Format("2006-01-02 15:04"),
					u.UpdateID, u.ChatID, u.Kind, u.Attempts, summary(u), oneLine(u.LastError, 120))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().Int64Var(&retry, "retry", 0, "put the failed update with this id back in line")
	cmd.Flags().IntVar(&limit, "limit", 50, "list at most this many, newest first")
	return cmd
}

// summary is what the person sent, short: the text, or the button's data.
func summary(u models.InboxUpdate) string {
	var p struct {
		Message *struct {
			Text    string `json:"text"`
			Caption string `json:"caption"`
		} `json:"message"`
		CallbackQuery *struct {
			Data string `json:"data"`
		} `json:"callback_query"`
	}
	if err := json.Unmarshal([]byte(u.Payload), &p); err != nil {
		return "?"
	}
	switch {
	case p.Message != nil && p.Message.Text != "":
		return oneLine(p.Message.Text, 40)
	case p.Message != nil:
		return oneLine("[file] "+p.Message.Caption, 40)
	case p.CallbackQuery != nil:
		return "[button] " + oneLine(p.CallbackQuery.Data, 40)
	}
	return "-"
}

// oneLine folds s onto one line of at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

package ledger

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestCheckTransitionEveryPair(t *testing.T) {
	const (
		ns = StatusNotStarted
		ip = StatusInProgress
		pv = StatusPendingVerification
		cl = StatusClosed
		og = StatusOngoing
	)
	// reason "" means allowed; otherwise a part of the refusal's reason.
	tests := []struct {
		from, to Status
		reason   string
	}{
		{ns, ns, "still not started"},
		{ns, ip, ""},
		{ns, pv, ""},
		{ns, cl, "needs verification: request closure first"},
		{ns, og, "long-term (长期坚持) deadline"},

		{ip, ns, "cannot go back to not started"},
		{ip, ip, "already in progress"},
		{ip, pv, ""},
		{ip, cl, "needs verification: request closure first"},
		{ip, og, "long-term (长期坚持) deadline"},

		{pv, ns, "cannot go back to not started"},
		{pv, ip, ""}, // rejection
		{pv, pv, "already waiting for verification"},
		{pv, cl, ""}, // verification
		{pv, og, "long-term (长期坚持) deadline"},

		{cl, ns, "cannot go back to not started"},
		{cl, ip, ""}, // reopen
		{cl, pv, "reopen it first"},
		{cl, cl, "already closed"},
		{cl, og, "long-term (长期坚持) deadline"},

		{og, ns, "stays ongoing"},
		{og, ip, "stays ongoing"},
		{og, pv, "stays ongoing"},
		{og, cl, "never closed: it gets periodic check-ins"},
		{og, og, "already ongoing"},
	}
	if want := len(Statuses) * len(Statuses); len(tests) != want {
		t.Fatalf("table has %d pairs, want all %d", len(tests), want)
	}
	for _, tt := range tests {
		err := CheckTransition(tt.from, tt.to)
		if tt.reason == "" {
			if err != nil {
				t.Errorf("CheckTransition(%s, %s) = %v, want allowed", tt.from, tt.to, err)
			}
			continue
		}
		var te *TransitionError
		if !errors.As(err, &te) {
			t.Errorf("CheckTransition(%s, %s) = %v, want a *TransitionError", tt.from, tt.to, err)
			continue
		}
		if te.From != tt.from || te.To != tt.to || !strings.Contains(te.Reason, tt.reason) {
			t.Errorf("CheckTransition(%s, %s) = %+v, want a reason containing %q", tt.from, tt.to, te, tt.reason)
		}
	}
}

func TestCheckTransitionUnknownStatus(t *testing.T) {
	for _, pair := range [][2]Status{{"", StatusInProgress}, {StatusInProgress, "done"}, {"x", "x"}} {
		err := CheckTransition(pair[0], pair[1])
		var te *TransitionError
		if !errors.As(err, &te) || !strings.Contains(te.Reason, "unknown status") {
			t.Errorf("CheckTransition(%q, %q) = %v, want an unknown-status refusal", pair[0], pair[1], err)
		}
	}
}

func TestAllowedTransitionsAgreesWithCheck(t *testing.T) {
	for _, from := range Statuses {
		got := AllowedTransitions(from)
		for _, to := range Statuses {
			if allowed := CheckTransition(from, to) == nil; allowed != slices.Contains(got, to) {
				t.Errorf("AllowedTransitions(%s) = %v disagrees with CheckTransition(%s, %s)", from, got, from, to)
			}
		}
	}
	if got := AllowedTransitions(StatusOngoing); len(got) != 0 {
		t.Errorf("AllowedTransitions(ongoing) = %v, want none", got)
	}
}

func TestStatusOpen(t *testing.T) {
	for _, s := range Statuses {
		if got, want := s.Open(), s != StatusClosed; got != want {
			t.Errorf("%s.Open() = %v, want %v", s, got, want)
		}
	}
}

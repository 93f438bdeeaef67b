package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/audit"
	"leadnavigator/backend/filters"
)

func filterEntries(t *testing.T, f *fixture) []audit.Row {
	t.Helper()
	rows, err := f.api.audit.List(f.ws, audit.Filter{Action: "filter.applied"})
	must(t, err)
	return rows
}

// Each state that settles is written once; a reordered set is the same
// state; a state seen again after a reset is written again.
func TestFilterAuditRecordsOnlySettledChanges(t *testing.T) {
	f := newFixture(t)
	ds := f.dataset(f.ws)
	tok := f.tokens[asAnalyst]
	email := filters.Set{Values: map[string][]string{"channel": {"Email"}}}
	both := filters.Set{Values: map[string][]string{"channel": {"Paid Search", "Email"}}}
	for _, s := range []filters.Set{{}, email, email, both, {Values: map[string][]string{"channel": {"Email", "Paid Search"}}}, {}, email} {
		if _, err := f.api.BuyersDashboard(tok, f.ws, ds, DashboardQuery{Filters: s}); err != nil {
			t.Fatal(err)
		}
		f.api.flushFilters() // the user waits: every state settles
	}
	rows := filterEntries(t, f)
	// email, both (the reordered set is the same), email again after a reset.
	if len(rows) != 3 {
		t.Fatalf("%d filter.applied entries, want 3: %+v", len(rows), rows)
	}
	if !strings.Contains(string(rows[1].Details), `"Email","Paid Search"`) || !strings.Contains(string(rows[1].Details), fmt.Sprint(ds)) {
		t.Errorf("details = %s", rows[1].Details)
	}
}

// Issue 12 #9: clicking through filter values quickly leaves exactly one
// entry, for the state the user stopped at.
func TestFilterAuditWritesOneEntryPerSettledState(t *testing.T) {
	f := newFixture(t)
	f.api.filters.settle = time.Hour // nothing settles while clicking, however slow the machine
	ds := f.dataset(f.ws)
	tok := f.tokens[asAnalyst]
	clicks := [][]string{{"Email"}, {"Email", "Paid Search"}, {"Paid Search"}, {"Paid Search", "Organic"}, {"Organic", "Paid Search"}}
	for _, values := range clicks {
		if _, err := f.api.BuyersDashboard(tok, f.ws, ds, DashboardQuery{Filters: filters.Set{Values: map[string][]string{"channel": values}}}); err != nil {
			t.Fatal(err)
		}
	}
	if rows := filterEntries(t, f); len(rows) != 0 {
		t.Fatalf("entries before the state settled: %+v", rows)
	}
	f.api.flushFilters() // the state settles (or the app shuts down)
	rows := filterEntries(t, f)
	if len(rows) != 1 || !strings.Contains(string(rows[0].Details), `"Organic","Paid Search"`) {
		t.Fatalf("want one entry for the last state, got %d: %+v", len(rows), rows)
	}
}

// A state is written by its timer once it has lasted the settle time.
func TestFilterAuditSettlesByItself(t *testing.T) {
	f := newFixture(t)
	f.api.filters.settle = 50 * time.Millisecond
	ds := f.dataset(f.ws)
	if _, err := f.api.BuyersDashboard(f.tokens[asAnalyst], f.ws, ds, DashboardQuery{Filters: filters.Set{Values: map[string][]string{"channel": {"Email"}}}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(filterEntries(t, f)) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if rows := filterEntries(t, f); len(rows) != 1 {
		t.Fatalf("settled state written %d times", len(rows))
	}
}

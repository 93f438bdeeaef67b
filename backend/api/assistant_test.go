package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leadnavigator/backend/assistant"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/views"
)

// revenueByLabel reads a one-grouping answer as label -> value.
func revenueByLabel(t *testing.T, ans assistant.Answer) map[string]float64 {
	t.Helper()
	if ans.Table == nil {
		t.Fatalf("answer without a table: %+v", ans)
	}
	out := map[string]float64{}
	for _, r := range ans.Table.Rows {
		v, ok := r[len(r)-1].(float64)
		if !ok {
			t.Fatalf("value %v (%T) is not a number", r[len(r)-1], r[len(r)-1])
		}
		label := ""
		if len(r) > 1 {
			label = r[0].(string)
		}
		out[label] = v
	}
	return out
}

func equalMaps(t *testing.T, what string, got, want map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
	}
}

// The fixture's rows: Texas/Email 120 (Jan 5) and 60 (Feb 3), New York/Paid Search 80 (Jan 20).
func TestAskHonorsActiveFiltersUnlessOverridden(t *testing.T) {
	f := newFixture(t)
	ds := f.dataset(f.ws)
	owner := f.tokens[asOwner]
	email := filters.Set{Values: map[string][]string{"channel": {"Email"}}}
	cases := []struct {
		question string
		active   filters.Set
		want     map[string]float64
		planEnd  string
	}{
		{"Revenue by state", filters.Set{}, map[string]float64{"Texas": 180, "New York": 80}, "Revenue grouped by state"},
		{"Revenue by state", email, map[string]float64{"Texas": 180}, "state, with the filters channel = Email"},
		{"Revenue by state", filters.Set{DateFrom: "2026-02-01"}, map[string]float64{"Texas": 60}, "with the filters date 2026-02-01.."},
		// The question's own channel replaces the active channel filter.
		{"Revenue from paid search", email, map[string]float64{"": 80}, "Revenue, channel = Paid Search"},
		// The question's own period replaces the active date range.
		{"Revenue in January 2026", filters.Set{DateFrom: "2026-02-01"}, map[string]float64{"": 200}, "date 2026-01-01..2026-01-31"},
		{"Revenue by state ignoring the filters", email, map[string]float64{"Texas": 180, "New York": 80}, "ignoring the dashboard filters"},
	}
	for _, c := range cases {
		ans, err := f.api.Ask(owner, f.ws, ds, c.question, c.active)
		if err != nil {
			t.Fatalf("%q: %v", c.question, err)
		}
		equalMaps(t, c.question, revenueByLabel(t, ans), c.want)
		if !strings.HasSuffix(ans.PlanText, c.planEnd) {
			t.Errorf("%q: plan %q, want it to end with %q", c.question, ans.PlanText, c.planEnd)
		}
		if ans.Mode != assistant.ModeOffline || ans.PlanText == "" {
			t.Errorf("%q: mode %q plan %q", c.question, ans.Mode, ans.PlanText)
		}
	}
}

func TestAskAppliesANamedSavedView(t *testing.T) {
	f := newFixture(t)
	ds := f.dataset(f.ws)
	v := views.View{WorkspaceID: f.ws, Name: "Email January", Dashboard: views.Buyers,
		Filters: filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31", Values: map[string][]string{"channel": {"Email"}}}}
	must(t, f.api.dashboards.views.Save(&v))
	ans, err := f.api.Ask(f.tokens[asAnalyst], f.ws, ds, "Revenue in the Email January view", filters.Set{})
	must(t, err)
	equalMaps(t, "revenue in the view", revenueByLabel(t, ans), map[string]float64{"": 120})
	if !strings.Contains(ans.PlanText, "channel = Email, date 2026-01-01..2026-01-31") {
		t.Errorf("plan %q does not show the view's filters", ans.PlanText)
	}
}

func TestChatHistoryIsPerUserAndWorkspace(t *testing.T) {
	f := newFixture(t)
	ds := f.dataset(f.ws)
	owner, analyst := f.tokens[asOwner], f.tokens[asAnalyst]
	if _, err := f.api.Ask(owner, f.ws, ds, "Top 1 states by revenue", filters.Set{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.api.Ask(analyst, f.ws, ds, "How many buyers?", filters.Set{}); err != nil {
		t.Fatal(err)
	}
	mine, err := f.api.ChatHistory(owner, f.ws)
	must(t, err)
	if len(mine) != 2 || mine[0].Role != "user" || mine[0].Text != "Top 1 states by revenue" || mine[1].Answer == nil {
		t.Fatalf("owner history %+v", mine)
	}
	if got := mine[1].Answer.Table.Rows; len(got) != 1 || got[0][0] != "Texas" {
		t.Fatalf("stored answer rows %v, want Texas on top", got)
	}
	must(t, f.api.ClearChat(analyst, f.ws))
	theirs, err := f.api.ChatHistory(analyst, f.ws)
	must(t, err)
	mine, err = f.api.ChatHistory(owner, f.ws)
	must(t, err)
	if len(theirs) != 0 || len(mine) != 2 {
		t.Fatalf("after the analyst cleared: analyst %d, owner %d messages; want 0 and 2", len(theirs), len(mine))
	}
	// Deleting the workspace deletes its chat (foreign key cascade).
	must(t, f.api.DeleteWorkspace(owner, f.ws))
	var n int
	must(t, f.api.db.QueryRow(`SELECT COUNT(*) FROM chat_messages`).Scan(&n))
	if n != 0 {
		t.Fatalf("%d chat messages left after deleting the workspace", n)
	}
}

func TestAskIsAuditedWithoutTheKey(t *testing.T) {
	f := newFixture(t)
	ds := f.dataset(f.ws)
	owner := f.tokens[asOwner]
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		text := "New York and Texas bought."
		if strings.Contains(string(body), "responseSchema") {
			text = `{"metric":{"op":"people"},"groupBy":[{"column":"state"}]}`
		}
		json.NewEncoder(w).Encode(map[string]any{"candidates": []any{map[string]any{
			"content": map[string]any{"role": "model", "parts": []any{map[string]any{"text": text}}}}}})
	}))
	defer fake.Close()
	f.api.assistant.Gemini.Endpoint = fake.URL
	t.Cleanup(f.api.assistant.Wait) // Gemini indexing runs in the background
	const key = "AIzaSyTestKey-must-never-be-stored-123"
	st, err := f.api.SetGeminiKey(owner, key)
	must(t, err)
	if st.Mode != assistant.ModeGemini || !st.KeySet || st.Model != assistant.DefaultModel {
		t.Fatalf("status %+v", st)
	}
	ans, err := f.api.Ask(owner, f.ws, ds, "buyers per state", filters.Set{})
	must(t, err)
	if ans.Mode != assistant.ModeGemini || ans.Text != "New York and Texas bought." {
		t.Fatalf("answer %+v, want Gemini's", ans)
	}
	equalMaps(t, "people by state", revenueByLabelInt(t, ans), map[string]float64{"Texas": 1, "New York": 1})

	var details string
	must(t, f.api.db.QueryRow(`SELECT details FROM audit_log WHERE action = 'ai.query'`).Scan(&details))
	for _, want := range []string{`"question":"buyers per state"`, `"plan":"Distinct people grouped by state"`, `"rows":2`, `"mode":"gemini"`} {
		if !strings.Contains(details, want) {
			t.Errorf("audit details %s lack %s", details, want)
		}
	}
	st, err = f.api.ClearGeminiKey(owner)
	must(t, err)
	if st.Mode != assistant.ModeOffline || st.KeySet {
		t.Fatalf("status after clearing %+v", st)
	}
	// The key is in no file of the data directory (SQLite, WAL, index).
	filepath.Walk(f.dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), key) {
				t.Errorf("the Gemini key is stored in %s", path)
			}
		}
		return nil
	})
}

// revenueByLabelInt reads a count answer (int64 values) as label -> value.
func revenueByLabelInt(t *testing.T, ans assistant.Answer) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, r := range ans.Table.Rows {
		n, ok := r[1].(int64)
		if !ok {
			t.Fatalf("count %v is %T", r[1], r[1])
		}
		out[r[0].(string)] = float64(n)
	}
	return out
}

func TestSetGeminiKeyRejectsJunk(t *testing.T) {
	f := newFixture(t)
	if _, err := f.api.SetGeminiKey(f.tokens[asOwner], "short"); err == nil {
		t.Fatal("a 5-character key was accepted")
	}
	st, err := f.api.AssistantStatus(f.tokens[asOwner])
	must(t, err)
	if st.KeySet {
		t.Fatal("a rejected key was stored")
	}
}

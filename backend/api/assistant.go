package api

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"leadnavigator/backend/assistant"
	"leadnavigator/backend/datasets"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/rag"
	"leadnavigator/backend/views"
	"leadnavigator/backend/workspace"
)

// askTimeout bounds one question (planning, retrieval and the query).
const askTimeout = 2 * time.Minute

// AssistantStatus says how the assistant answers: with Gemini (a key is
// set) or offline. The key itself is never returned.
type AssistantStatus struct {
	Mode   string `json:"mode"` // gemini or offline
	Model  string `json:"model"`
	KeySet bool   `json:"keySet"`
}

// wireAssistant opens the chat history and the retrieval index under
// <data-dir>/rag. LN_GEMINI_ENDPOINT and LN_GEMINI_MODEL override Google's
// endpoint and the default model (tests point them at a local fake).
func (a *API) wireAssistant() error {
	hist, err := assistant.NewHistory(a.db)
	if err != nil {
		return err
	}
	ix, err := rag.Open(filepath.Join(a.cfg.DataDir, "rag"))
	if err != nil {
		return err
	}
	a.assistant = &assistant.Service{
		History: hist,
		Index:   ix,
		Exec:    assistant.DBExecutor{DB: a.engine.Workspace},
		Gemini: assistant.GeminiConfig{
			Endpoint: os.Getenv("LN_GEMINI_ENDPOINT"),
			Model:    os.Getenv("LN_GEMINI_MODEL"),
		},
		Key: a.geminiKey,
	}
	return nil
}

// geminiKey reads the key from the keychain; "" when none is set.
func (a *API) geminiKey() (string, error) {
	k, err := a.keys.Get(keychain.GeminiAPIKey)
	if errors.Is(err, keychain.ErrNotFound) {
		return "", nil
	}
	return k, err
}

// Ask answers a question about a dataset (0: the latest one) under the
// dashboard filters in effect. Analysts and Owners only: Viewers do not
// use the AI ("no AI writes": every question is stored and audited).
func (a *API) Ask(token string, workspaceID, datasetID int64, question string, active filters.Set) (assistant.Answer, error) {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return assistant.Answer{}, err
	}
	d, err := a.dashboardDataset(workspaceID, datasetID, datasets.Buyers, datasets.Leads, datasets.Visitors)
	if err != nil {
		return assistant.Answer{}, err
	}
	db, err := a.engine.Workspace(workspaceID)
	if err != nil {
		return assistant.Answer{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), askTimeout)
	defer cancel()
	views, err := a.dashboards.views.List(workspaceID, "")
	if err != nil {
		return assistant.Answer{}, err
	}
	ans, err := a.assistant.Ask(ctx, assistant.Request{
		WorkspaceID: workspaceID, UserID: caller.ID, Dataset: d, DB: db, Question: question,
		Active: activeFilters(active, d), Views: savedViews(views, d),
	})
	if err != nil {
		return ans, err
	}
	rows := 0
	if ans.Table != nil {
		rows = len(ans.Table.Rows)
	}
	a.record(caller, workspaceID, "ai.query", map[string]any{
		"question": strings.TrimSpace(question), "plan": ans.PlanText, "rows": rows, "mode": ans.Mode,
		"datasetId": d.ID, "refused": ans.Refused, "notice": ans.Notice,
	})
	return ans, nil
}

// activeFilters compiles the dashboard filters, minus what the question
// overrides: its own date range and the columns it filters itself.
func activeFilters(active filters.Set, d datasets.Dataset) func(bool, []string) (assistant.Where, error) {
	return func(skipDates bool, skipColumns []string) (assistant.Where, error) {
		s := active.Canonical()
		if skipDates {
			s = s.WithDates("", "")
		}
		for _, c := range skipColumns {
			s = s.Without(c)
		}
		sql, args, err := s.Where(d)
		if err != nil {
			return assistant.Where{}, fmt.Errorf("active filters: %w", err)
		}
		return assistant.Where{SQL: sql, Args: args, Text: describeFilters(s)}, nil
	}
}

// describeFilters says a filter set in plain words: "channel = Email, date 2026-01-01..".
func describeFilters(s filters.Set) string {
	var parts []string
	cols := make([]string, 0, len(s.Values))
	for c := range s.Values {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	for _, c := range cols {
		parts = append(parts, c+" = "+strings.Join(s.Values[c], " or "))
	}
	if s.DateFrom != "" || s.DateTo != "" {
		parts = append(parts, fmt.Sprintf("date %s..%s", s.DateFrom, s.DateTo))
	}
	return strings.Join(parts, ", ")
}

// savedViews turns the workspace's saved views into plan filters; views
// filtering a column the dataset lacks (another dashboard's) are left out.
func savedViews(vs []views.View, d datasets.Dataset) []assistant.SavedView {
	var out []assistant.SavedView
next:
	for _, v := range vs {
		f := v.Filters.Canonical()
		sv := assistant.SavedView{Name: v.Name, DateFrom: f.DateFrom, DateTo: f.DateTo}
		cols := make([]string, 0, len(f.Values))
		for c := range f.Values {
			cols = append(cols, c)
		}
		sort.Strings(cols)
		for _, c := range cols {
			if _, ok := filters.Column(d, c); !ok {
				continue next
			}
			sv.Filters = append(sv.Filters, assistant.Filter{Column: c, Op: "in", Values: f.Values[c]})
		}
		out = append(out, sv)
	}
	return out
}

// ChatHistory returns the caller's own chat in a workspace, oldest first.
func (a *API) ChatHistory(token string, workspaceID int64) ([]assistant.Message, error) {
	caller, _, err := a.member(token, workspaceID, workspace.View)
	if err != nil {
		return nil, err
	}
	return a.assistant.History.List(workspaceID, caller.ID)
}

// ClearChat deletes the caller's own chat in a workspace.
func (a *API) ClearChat(token string, workspaceID int64) error {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return err
	}
	n, err := a.assistant.History.Clear(workspaceID, caller.ID)
	if err != nil {
		return err
	}
	a.record(caller, workspaceID, "ai.chat.cleared", map[string]any{"messages": n})
	return nil
}

// SetGeminiKey stores the Gemini API key in the OS keychain (never in
// SQLite, logs or the audit trail) and switches the assistant to Gemini.
func (a *API) SetGeminiKey(token, key string) (AssistantStatus, error) {
	caller, err := a.admin(token) // the key is installation-wide: the admin's decision
	if err != nil {
		return AssistantStatus{}, err
	}
	key = strings.TrimSpace(key)
	if len(key) < 20 || strings.ContainsAny(key, " \t\r\n") {
		return AssistantStatus{}, errors.New("that does not look like a Gemini API key (paste the whole key from Google AI Studio)")
	}
	if err := a.keys.Set(keychain.GeminiAPIKey, key); err != nil {
		return AssistantStatus{}, fmt.Errorf("store the Gemini key in %s: %w", a.keys.Backend(), err)
	}
	a.assistant.Forget()
	a.record(caller, 0, "ai.key.set", map[string]any{"keychain": a.keys.Backend()})
	return a.assistantStatus()
}

// ClearGeminiKey removes the Gemini key; the assistant answers offline.
func (a *API) ClearGeminiKey(token string) (AssistantStatus, error) {
	caller, err := a.admin(token) // the key is installation-wide: the admin's decision
	if err != nil {
		return AssistantStatus{}, err
	}
	if err := a.keys.Delete(keychain.GeminiAPIKey); err != nil {
		return AssistantStatus{}, fmt.Errorf("remove the Gemini key from %s: %w", a.keys.Backend(), err)
	}
	a.assistant.Forget()
	a.record(caller, 0, "ai.key.cleared", nil)
	return a.assistantStatus()
}

// AssistantStatus says whether the assistant uses Gemini and which model.
func (a *API) AssistantStatus(token string) (AssistantStatus, error) {
	if _, err := a.caller(token); err != nil {
		return AssistantStatus{}, err
	}
	return a.assistantStatus()
}

func (a *API) assistantStatus() (AssistantStatus, error) {
	key, err := a.geminiKey()
	if err != nil {
		return AssistantStatus{}, fmt.Errorf("read the Gemini key from %s: %w", a.keys.Backend(), err)
	}
	model := a.assistant.Gemini.Model
	if model == "" {
		model = assistant.DefaultModel
	}
	st := AssistantStatus{Mode: assistant.ModeOffline, Model: model, KeySet: key != ""}
	if st.KeySet {
		st.Mode = assistant.ModeGemini
	}
	return st, nil
}

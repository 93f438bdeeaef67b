package views

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"leadnavigator/backend/filters"
	"leadnavigator/backend/store"
	"leadnavigator/backend/workspace"
)

// setup opens a real app database with a user and two workspaces.
func setup(t *testing.T) (*Service, *sql.DB, int64, int64) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// The users table belongs to package auth; a minimal one satisfies the foreign keys.
	if _, err := db.Exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO users(id, email) VALUES (1, 'a@example.com')`); err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.New(db)
	if err != nil {
		t.Fatal(err)
	}
	w1, err := ws.Create(1, "One")
	if err != nil {
		t.Fatal(err)
	}
	w2, err := ws.Create(1, "Two")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(db)
	if err != nil {
		t.Fatal(err)
	}
	return s, db, w1.ID, w2.ID
}

func TestSaveListReplaceDelete(t *testing.T) {
	s, db, w1, w2 := setup(t)
	v := View{WorkspaceID: w1, Name: "  Texas email ", Dashboard: Buyers, Granularity: "week", CreatedBy: 1,
		Filters: filters.Set{DateFrom: "2026-01-01", DateTo: "2026-03-31", Values: map[string][]string{"state": {"Texas"}, "channel": {"Email", "Email"}, "x": {}}}}
	if err := s.Save(&v); err != nil {
		t.Fatal(err)
	}
	other := View{WorkspaceID: w2, Name: "Texas email", Dashboard: Buyers}
	if err := s.Save(&other); err != nil {
		t.Fatal(err)
	}
	got, err := s.List(w1, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "Texas email" || got[0].Granularity != "week" || got[0].ID != v.ID {
		t.Fatalf("list = %+v", got)
	}
	if got[0].Filters.Key() != (filters.Set{DateFrom: "2026-01-01", DateTo: "2026-03-31", Values: map[string][]string{"state": {"Texas"}, "channel": {"Email"}}}).Key() {
		t.Errorf("filters = %+v", got[0].Filters)
	}
	// Saving the same name again replaces the view instead of adding one.
	v2 := View{WorkspaceID: w1, Name: "Texas email", Dashboard: Buyers, Granularity: "month"}
	if err := s.Save(&v2); err != nil {
		t.Fatal(err)
	}
	got, _ = s.List(w1, Buyers)
	if len(got) != 1 || got[0].ID != v.ID || got[0].Granularity != "month" || !got[0].Filters.Empty() {
		t.Errorf("after replace = %+v", got)
	}
	if vs, _ := s.List(w1, Visitors); len(vs) != 0 {
		t.Errorf("visitors views = %+v", vs)
	}
	// Another workspace's view cannot be deleted through this workspace.
	if err := s.Delete(w1, other.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("cross-workspace delete: %v", err)
	}
	if err := s.Delete(w1, v.ID); err != nil {
		t.Fatal(err)
	}
	if vs, _ := s.List(w1, ""); len(vs) != 0 {
		t.Errorf("after delete = %+v", vs)
	}
	// Deleting a workspace deletes its views.
	if _, err := db.Exec(`DELETE FROM workspaces WHERE id = ?`, w2); err != nil {
		t.Fatal(err)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM saved_views`).Scan(&n)
	if n != 0 {
		t.Errorf("%d views left after the workspace was deleted", n)
	}
}

func TestSaveRejectsInvalidViews(t *testing.T) {
	s, _, w1, _ := setup(t)
	for _, tc := range []struct {
		v    View
		want string
	}{
		{View{WorkspaceID: w1, Name: " ", Dashboard: Buyers}, "name"},
		{View{WorkspaceID: w1, Name: strings.Repeat("x", 81), Dashboard: Buyers}, "at most"},
		{View{WorkspaceID: w1, Name: "a", Dashboard: "leads"}, "unknown dashboard"},
		{View{WorkspaceID: w1, Name: "a", Dashboard: Buyers, Granularity: "hour"}, "granularity"},
		{View{WorkspaceID: w1, Name: "a", Dashboard: Buyers, Filters: filters.Set{DateFrom: "2026-13-01"}}, "not a date"},
		{View{WorkspaceID: 999, Name: "a", Dashboard: Buyers}, "FOREIGN KEY"},
	} {
		if err := s.Save(&tc.v); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Save(%+v) = %v, want error containing %q", tc.v, err, tc.want)
		}
	}
}

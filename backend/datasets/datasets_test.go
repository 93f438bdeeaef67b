package datasets

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"leadnavigator/backend/mapping"
	"leadnavigator/backend/store"
)

// newCatalogue opens a fresh app database with the two workspaces (1 and 2)
// the datasets reference (the real users/workspaces tables are owned by
// other packages; minimal stand-ins keep this test about datasets).
func newCatalogue(t *testing.T) (*Service, *sql.DB) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE users (id INTEGER PRIMARY KEY);
		CREATE TABLE workspaces (id INTEGER PRIMARY KEY);
		INSERT INTO users VALUES (7); INSERT INTO workspaces VALUES (1), (2);`); err != nil {
		t.Fatal(err)
	}
	s, err := New(db)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

func TestCatalogueKeepsDatasetsPerWorkspace(t *testing.T) {
	s, db := newCatalogue(t)
	d := &Dataset{WorkspaceID: 1, Name: "buyers.csv", Kind: Buyers, Table: NewTableName(), Rows: 42,
		Columns: []Column{{Name: "order_date", Type: "date", Top: []ValueCount{{"2026-01-01", 3}}}},
		Mapping: mapping.Mapping{mapping.Date: "order_date"}, HeaderSignature: "sig", Encoding: "utf-8",
		Separator: ",", DuplicatesRemoved: 2, ImportedBy: 7}
	if err := s.Insert(d); err != nil || d.ID == 0 {
		t.Fatalf("insert: id %d, %v", d.ID, err)
	}
	got, err := s.Get(1, d.ID)
	if err != nil || got.Rows != 42 || got.Columns[0].Top[0].Count != 3 || got.Mapping[mapping.Date] != "order_date" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := s.Get(2, d.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("dataset visible from workspace 2: %v", err)
	}
	if list, _ := s.List(2); len(list) != 0 {
		t.Fatalf("workspace 2 lists %d datasets", len(list))
	}
	if err := s.SetKind(1, d.ID, "customers"); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if err := s.SetKind(2, d.ID, Visitors); !errors.Is(err, ErrNotFound) {
		t.Fatalf("kind changed through workspace 2: %v", err)
	}
	must(t, s.SetKind(1, d.ID, Visitors))
	must(t, s.SetMapping(1, d.ID, mapping.Mapping{mapping.VisitorID: "order_date"}))
	latest, err := s.Latest(1, Visitors)
	if err != nil || latest.ID != d.ID || latest.Mapping[mapping.VisitorID] != "order_date" {
		t.Fatalf("latest visitors: %+v %v", latest, err)
	}
	if _, err := s.Latest(1, Buyers); !errors.Is(err, ErrNotFound) {
		t.Fatalf("latest buyers: %v", err)
	}
	must(t, s.Delete(1, d.ID))
	if err := s.Delete(1, d.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM datasets`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d rows left", n)
	}
}

func TestTableNamesAreFreshIdentifiers(t *testing.T) {
	a, b := NewTableName(), NewTableName()
	if a == b || len(a) != len("ds_")+16 {
		t.Fatalf("table names %q, %q", a, b)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

package store

import (
	"path/filepath"
	"testing"
)

func TestMigrateAppliesOnlyNewSteps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	steps := []string{`CREATE TABLE a (id INTEGER PRIMARY KEY)`}
	if err := Migrate(db, "demo", steps); err != nil {
		t.Fatal(err)
	}
	// Re-running the same list is a no-op; appending a step applies just it.
	steps = append(steps, `ALTER TABLE a ADD COLUMN name TEXT`)
	if err := Migrate(db, "demo", steps); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(db, "demo", steps); err != nil {
		t.Fatal(err)
	}
	var version int
	if err := db.QueryRow(`SELECT version FROM schema_migrations WHERE domain='demo'`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != 2 {
		t.Fatalf("version = %d, want 2", version)
	}
	if _, err := db.Exec(`INSERT INTO a(name) VALUES ('x')`); err != nil {
		t.Fatalf("column from step 2 missing: %v", err)
	}
	var mode string
	db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	if mode != "wal" {
		t.Fatalf("journal_mode = %q, want wal", mode)
	}
	var fk int
	db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	if fk != 1 {
		t.Fatal("foreign keys are off")
	}
}

func TestFailedStepLeavesVersionUnchanged(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	err = Migrate(db, "bad", []string{`CREATE TABLE ok1 (id INTEGER)`, `THIS IS NOT SQL`})
	if err == nil {
		t.Fatal("expected an error from the broken step")
	}
	var version int
	db.QueryRow(`SELECT version FROM schema_migrations WHERE domain='bad'`).Scan(&version)
	if version != 1 {
		t.Fatalf("version = %d, want 1 (first step applied, second rolled back)", version)
	}
}

func TestCollectScansEveryRowAndNeverReturnsNil(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (3), (1), (2)`); err != nil {
		t.Fatal(err)
	}
	scanInt := func(s Scanner) (int, error) {
		var v int
		return v, s.Scan(&v)
	}
	got, err := Collect(db, scanInt, `SELECT v FROM n ORDER BY v`)
	if err != nil || len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Fatalf("Collect = %v, %v", got, err)
	}
	none, err := Collect(db, scanInt, `SELECT v FROM n WHERE v > ?`, 10)
	if err != nil || none == nil || len(none) != 0 {
		t.Fatalf("no rows: %#v, %v", none, err)
	}
	if _, err := Collect(db, scanInt, `SELECT nope FROM n`); err == nil {
		t.Fatal("bad query: no error")
	}
}

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

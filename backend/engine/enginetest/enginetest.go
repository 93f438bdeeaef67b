// Package enginetest opens analytics databases for other packages' tests.
package enginetest

import (
	"database/sql"
	"testing"

	"leadnavigator/backend/engine"
)

// Workspace opens a fresh workspace database in a temp dir, configured the
// way the app configures one (with a small memory limit and two threads),
// and closes it when the test ends.
func Workspace(t testing.TB) *sql.DB {
	t.Helper()
	m := engine.NewManager(t.TempDir(), engine.Options{MemoryLimit: "256MB", Threads: 2})
	t.Cleanup(func() { m.Close() })
	db, err := m.Workspace(1)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

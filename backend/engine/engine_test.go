package engine

import (
	"testing"
)

func TestWorkspacesAreSeparateFiles(t *testing.T) {
	m := NewManager(t.TempDir(), Options{MemoryLimit: "256MB", Threads: 1})
	defer m.Close()
	a, err := m.Workspace(1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Workspace(2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(`CREATE TABLE t AS SELECT range AS x FROM range(10)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 10 {
		t.Fatalf("count = %d, %v", n, err)
	}
	if _, err := b.Exec(`SELECT count(*) FROM t`); err == nil {
		t.Fatal("workspace 2 can see workspace 1's table")
	}
	if err := m.DropWorkspace(1); err != nil {
		t.Fatal(err)
	}
	a, err = m.Workspace(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(`SELECT count(*) FROM t`); err == nil {
		t.Fatal("dropped workspace still has its table")
	}
}

func TestQuoting(t *testing.T) {
	if got := QuoteIdent(`we"ird`); got != `"we""ird"` {
		t.Fatal(got)
	}
	if got := QuoteString(`it's`); got != `'it''s'` {
		t.Fatal(got)
	}
}

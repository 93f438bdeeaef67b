// Package engine owns the embedded columnar analytics engine (DuckDB).
//
// Every workspace has its own DuckDB file under <dataDir>/workspaces/<id>/,
// so one workspace's rows can never be reached through another's handle.
// Other packages get a *sql.DB for a workspace from Manager.Workspace and
// must not open DuckDB files themselves.
package engine

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// Options bound the engine's resource use. Zero values pick defaults.
type Options struct {
	// MemoryLimit is DuckDB's memory_limit, e.g. "1GB". Large imports and
	// aggregations spill to the workspace's tmp directory beyond it.
	MemoryLimit string
	// Threads caps DuckDB's worker threads (0: one per core).
	Threads int
}

// Manager hands out one DuckDB handle per workspace and closes them on demand.
type Manager struct {
	dir  string
	opts Options

	mu  sync.Mutex
	dbs map[int64]*sql.DB
}

// NewManager keeps workspace databases under dir.
func NewManager(dir string, opts Options) *Manager {
	if opts.MemoryLimit == "" {
		opts.MemoryLimit = "1GB"
	}
	return &Manager{dir: dir, opts: opts, dbs: map[int64]*sql.DB{}}
}

// WorkspaceDir is the folder holding a workspace's analytics files.
func (m *Manager) WorkspaceDir(workspaceID int64) string {
	return filepath.Join(m.dir, fmt.Sprintf("%d", workspaceID))
}

// Workspace returns the (cached) DuckDB handle of a workspace, creating its
// database file on first use.
func (m *Manager) Workspace(workspaceID int64) (*sql.DB, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if db, ok := m.dbs[workspaceID]; ok {
		return db, nil
	}
	dir := m.WorkspaceDir(workspaceID)
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", filepath.Join(dir, "data.duckdb"))
	if err != nil {
		return nil, fmt.Errorf("open analytics database: %w", err)
	}
	settings := []string{
		fmt.Sprintf("SET memory_limit = '%s'", m.opts.MemoryLimit),
		fmt.Sprintf("SET temp_directory = %s", QuoteString(filepath.Join(dir, "tmp"))),
		"SET preserve_insertion_order = false",
	}
	if m.opts.Threads > 0 {
		settings = append(settings, fmt.Sprintf("SET threads = %d", m.opts.Threads))
	}
	for _, s := range settings {
		if _, err := db.Exec(s); err != nil {
			db.Close()
			return nil, fmt.Errorf("configure analytics database (%s): %w", s, err)
		}
	}
	m.dbs[workspaceID] = db
	return db, nil
}

// DropWorkspace closes a workspace's handle and deletes all its files.
func (m *Manager) DropWorkspace(workspaceID int64) error {
	m.mu.Lock()
	if db, ok := m.dbs[workspaceID]; ok {
		db.Close()
		delete(m.dbs, workspaceID)
	}
	m.mu.Unlock()
	return os.RemoveAll(m.WorkspaceDir(workspaceID))
}

// Close closes every open handle.
func (m *Manager) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, db := range m.dbs {
		db.Close()
		delete(m.dbs, id)
	}
	return nil
}

// QuoteIdent quotes a column or table name for DuckDB SQL.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteString quotes a string literal for DuckDB SQL. Prefer bound
// parameters; this is for places DuckDB does not accept them (SET, read_csv
// options).
func QuoteString(s string) string {
	return `'` + strings.ReplaceAll(s, `'`, `''`) + `'`
}

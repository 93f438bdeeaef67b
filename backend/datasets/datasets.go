// Package datasets keeps the catalogue of imported datasets of each
// workspace in SQLite: file name, kind, the DuckDB table holding the rows,
// column profile and column mapping. The rows themselves live in the
// workspace's analytics engine (package engine).
package datasets

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"leadnavigator/backend/mapping"
	"leadnavigator/backend/store"
)

// Kinds of dataset; dashboards pick datasets by kind.
const (
	Buyers   = "buyers"
	Visitors = "visitors"
	Leads    = "leads"
)

// ValidKind reports whether k is a known dataset kind.
func ValidKind(k string) bool { return k == Buyers || k == Visitors || k == Leads }

// ValueCount is one of a column's most frequent values.
type ValueCount struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// Column is one column of a dataset with its profile.
type Column struct {
	Name     string       `json:"name"`     // normalized (snake_case) name = DuckDB column name
	Original string       `json:"original"` // header as it was in the file
	Type     string       `json:"type"`     // integer, decimal, currency, percent, boolean, date, datetime, text
	Nulls    int64        `json:"nulls"`
	NullPct  float64      `json:"nullPct"`
	Distinct int64        `json:"distinct"` // estimate
	Min      string       `json:"min"`
	Max      string       `json:"max"`
	Top      []ValueCount `json:"top"`
}

// Dataset is one imported file.
type Dataset struct {
	ID                int64           `json:"id"`
	WorkspaceID       int64           `json:"workspaceId"`
	Name              string          `json:"name"` // file name
	Kind              string          `json:"kind"`
	Table             string          `json:"table"` // DuckDB table name
	Rows              int64           `json:"rows"`
	Columns           []Column        `json:"columns"`
	Mapping           mapping.Mapping `json:"mapping"`
	HeaderSignature   string          `json:"headerSignature"`
	Encoding          string          `json:"encoding"`
	Separator         string          `json:"separator"`
	DuplicatesRemoved int64           `json:"duplicatesRemoved"`
	ImportedBy        int64           `json:"importedBy"`
	ImportedAt        string          `json:"importedAt"`
	Seconds           float64         `json:"seconds"`
}

// ErrNotFound is returned for a dataset id that is not in the workspace.
var ErrNotFound = errors.New("dataset not found in this workspace")

// Service stores dataset metadata.
type Service struct{ db *sql.DB }

var migrations = []string{
	`CREATE TABLE datasets (
		id INTEGER PRIMARY KEY,
		workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
		name TEXT NOT NULL,
		kind TEXT NOT NULL,
		table_name TEXT NOT NULL UNIQUE,
		rows INTEGER NOT NULL,
		columns_json TEXT NOT NULL,
		mapping_json TEXT NOT NULL DEFAULT '{}',
		header_signature TEXT NOT NULL,
		encoding TEXT NOT NULL,
		separator TEXT NOT NULL,
		duplicates_removed INTEGER NOT NULL DEFAULT 0,
		imported_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
		imported_at TEXT NOT NULL,
		seconds REAL NOT NULL DEFAULT 0
	);
	CREATE INDEX datasets_ws ON datasets(workspace_id, kind, id);`,
}

// New migrates the datasets table (workspace tables must exist first).
func New(db *sql.DB) (*Service, error) {
	if err := store.Migrate(db, "datasets", migrations); err != nil {
		return nil, err
	}
	return &Service{db: db}, nil
}

// NewTableName returns a fresh, unguessable DuckDB table name for a dataset.
func NewTableName() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "ds_" + hex.EncodeToString(b)
}

// Insert records a dataset whose table already exists; it sets d.ID.
func (s *Service) Insert(d *Dataset) error {
	cols, err := json.Marshal(d.Columns)
	if err != nil {
		return err
	}
	if d.Mapping == nil {
		d.Mapping = mapping.Mapping{}
	}
	m, _ := json.Marshal(d.Mapping)
	if d.ImportedAt == "" {
		d.ImportedAt = store.Now().Format(store.TimeFormat)
	}
	res, err := s.db.Exec(`INSERT INTO datasets(workspace_id, name, kind, table_name, rows, columns_json, mapping_json,
		header_signature, encoding, separator, duplicates_removed, imported_by, imported_at, seconds)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		d.WorkspaceID, d.Name, d.Kind, d.Table, d.Rows, string(cols), string(m), d.HeaderSignature,
		d.Encoding, d.Separator, d.DuplicatesRemoved, nullID(d.ImportedBy), d.ImportedAt, d.Seconds)
	if err != nil {
		return err
	}
	d.ID, err = res.LastInsertId()
	return err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const selectColumns = `SELECT id, workspace_id, name, kind, table_name, rows, columns_json, mapping_json, header_signature,
	encoding, separator, duplicates_removed, COALESCE(imported_by, 0), imported_at, seconds FROM datasets`

func scan(row store.Scanner) (Dataset, error) {
	var d Dataset
	var cols, m string
	err := row.Scan(&d.ID, &d.WorkspaceID, &d.Name, &d.Kind, &d.Table, &d.Rows, &cols, &m, &d.HeaderSignature,
		&d.Encoding, &d.Separator, &d.DuplicatesRemoved, &d.ImportedBy, &d.ImportedAt, &d.Seconds)
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(cols), &d.Columns); err != nil {
		return d, fmt.Errorf("dataset %d columns: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(m), &d.Mapping); err != nil {
		return d, fmt.Errorf("dataset %d mapping: %w", d.ID, err)
	}
	return d, nil
}

// Get returns a dataset of the workspace (ErrNotFound if it belongs elsewhere).
func (s *Service) Get(workspaceID, id int64) (Dataset, error) {
	d, err := scan(s.db.QueryRow(selectColumns+` WHERE workspace_id = ? AND id = ?`, workspaceID, id))
	if err == sql.ErrNoRows {
		return d, ErrNotFound
	}
	return d, err
}

// Latest returns the most recently imported dataset of a kind.
func (s *Service) Latest(workspaceID int64, kind string) (Dataset, error) {
	d, err := scan(s.db.QueryRow(selectColumns+` WHERE workspace_id = ? AND kind = ? ORDER BY id DESC LIMIT 1`, workspaceID, kind))
	if err == sql.ErrNoRows {
		return d, ErrNotFound
	}
	return d, err
}

// List returns a workspace's datasets, newest first.
func (s *Service) List(workspaceID int64) ([]Dataset, error) {
	return store.Collect(s.db, scan, selectColumns+` WHERE workspace_id = ? ORDER BY id DESC`, workspaceID)
}

// SetMapping replaces a dataset's column mapping.
func (s *Service) SetMapping(workspaceID, id int64, m mapping.Mapping) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.update(`UPDATE datasets SET mapping_json = ? WHERE workspace_id = ? AND id = ?`, string(b), workspaceID, id)
}

// SetKind changes whether a dataset is buyers, visitors or leads.
func (s *Service) SetKind(workspaceID, id int64, kind string) error {
	if !ValidKind(kind) {
		return fmt.Errorf("unknown dataset kind %q (use buyers, visitors or leads)", kind)
	}
	return s.update(`UPDATE datasets SET kind = ? WHERE workspace_id = ? AND id = ?`, kind, workspaceID, id)
}

// Delete removes a dataset's record; the caller drops its table.
func (s *Service) Delete(workspaceID, id int64) error {
	return s.update(`DELETE FROM datasets WHERE workspace_id = ? AND id = ?`, workspaceID, id)
}

func (s *Service) update(query string, args ...any) error {
	res, err := s.db.Exec(query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// MappingColumns describes columns for mapping.Suggest and
// mapping.Validate, with each column's most common values as samples (the
// API adds preview rows to them).
func MappingColumns(cols []Column) []mapping.Column {
	out := make([]mapping.Column, len(cols))
	for i, c := range cols {
		mc := mapping.Column{Name: c.Name, Original: c.Original, Type: c.Type}
		for _, top := range c.Top {
			mc.Samples = append(mc.Samples, top.Value)
		}
		out[i] = mc
	}
	return out
}

package mapping

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"leadnavigator/backend/store"
)

// Saved is the mapping (and dataset kind) remembered for one file type of
// a workspace, identified by the file's header signature.
type Saved struct {
	HeaderSignature string  `json:"headerSignature"`
	Kind            string  `json:"kind"`
	Mapping         Mapping `json:"mapping"`
	UpdatedAt       string  `json:"updatedAt"`
}

// ErrNoSaved is returned by Store.Get when nothing is saved for a signature.
var ErrNoSaved = errors.New("no saved mapping for this file type")

// Store keeps saved mappings in the app's SQLite database.
type Store struct{ db *sql.DB }

var migrations = []string{
	`CREATE TABLE column_mappings (
		workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
		header_signature TEXT NOT NULL,
		kind TEXT NOT NULL,
		mapping_json TEXT NOT NULL,
		updated_at TEXT NOT NULL,
		PRIMARY KEY (workspace_id, header_signature)
	);`,
}

// NewStore migrates the column_mappings table (workspaces must exist first).
func NewStore(db *sql.DB) (*Store, error) {
	if err := store.Migrate(db, "mapping", migrations); err != nil {
		return nil, err
	}
	return &Store{db: db}, nil
}

// Get returns the mapping saved for a header signature, or ErrNoSaved.
func (s *Store) Get(workspaceID int64, headerSignature string) (Saved, error) {
	saved := Saved{HeaderSignature: headerSignature}
	var raw string
	err := s.db.QueryRow(`SELECT kind, mapping_json, updated_at FROM column_mappings
		WHERE workspace_id = ? AND header_signature = ?`, workspaceID, headerSignature).
		Scan(&saved.Kind, &raw, &saved.UpdatedAt)
	if err == sql.ErrNoRows {
		return saved, ErrNoSaved
	}
	if err != nil {
		return saved, err
	}
	if err := json.Unmarshal([]byte(raw), &saved.Mapping); err != nil {
		return saved, fmt.Errorf("saved mapping for %s is corrupt: %w", headerSignature, err)
	}
	return saved, nil
}

// Save remembers (replacing any earlier) the mapping and kind for a header signature.
func (s *Store) Save(workspaceID int64, headerSignature, kind string, m Mapping) error {
	if headerSignature == "" {
		return errors.New("cannot save a mapping without a header signature")
	}
	raw, err := json.Marshal(Clean(m))
	if err != nil {
		return err
	}
	_, err = s.db.Exec(`INSERT INTO column_mappings(workspace_id, header_signature, kind, mapping_json, updated_at)
		VALUES(?,?,?,?,?) ON CONFLICT(workspace_id, header_signature) DO UPDATE SET
		kind = excluded.kind, mapping_json = excluded.mapping_json, updated_at = excluded.updated_at`,
		workspaceID, headerSignature, kind, string(raw), store.Now().Format(store.TimeFormat))
	return err
}

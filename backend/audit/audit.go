// Package audit keeps the append-only audit trail: who did what, in which
// workspace, when. Details never carry secrets (passwords, tokens, keys).
package audit

import (
	"database/sql"
	"encoding/json"

	"leadnavigator/backend/store"
)

// Entry is one audit record as written by the services.
type Entry struct {
	UserID      int64          // 0 when unknown (e.g. a failed login for an unknown email)
	WorkspaceID int64          // 0 when not about a workspace
	Action      string         // e.g. "login", "upload", "filter.applied"
	Details     map[string]any // JSON-serializable, never secrets
}

// Log writes entries.
type Log struct{ db *sql.DB }

var migrations = []string{
	`CREATE TABLE audit_log (
		id INTEGER PRIMARY KEY,
		ts TEXT NOT NULL,
		user_id INTEGER,
		workspace_id INTEGER,
		action TEXT NOT NULL,
		details TEXT NOT NULL DEFAULT '{}'
	);
	CREATE INDEX audit_log_ws ON audit_log(workspace_id, ts);`,
}

// New migrates the audit table.
func New(db *sql.DB) (*Log, error) {
	if err := store.Migrate(db, "audit", migrations); err != nil {
		return nil, err
	}
	return &Log{db: db}, nil
}

// Record appends an entry.
func (l *Log) Record(e Entry) error {
	details, err := json.Marshal(e.Details)
	if err != nil {
		return err
	}
	if e.Details == nil {
		details = []byte("{}")
	}
	_, err = l.db.Exec(`INSERT INTO audit_log(ts, user_id, workspace_id, action, details) VALUES(?,?,?,?,?)`,
		store.Now().Format(store.TimeFormat), nullable(e.UserID), nullable(e.WorkspaceID), e.Action, string(details))
	return err
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

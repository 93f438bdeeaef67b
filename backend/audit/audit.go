// Package audit keeps the append-only audit trail: who did what, in which
// workspace, when. Details never carry secrets (passwords, tokens, keys).
//
// Tamper evidence: SQLite triggers refuse UPDATE and DELETE on audit_log,
// and every row is hash-chained (hash = sha256(prev_hash || canonical row)),
// so a row edited or removed behind the app's back (e.g. with the sqlite3
// shell after dropping the triggers) is found by Verify. The chain is global,
// not per workspace, and workspace_id is deliberately not a foreign key:
// deleting a workspace keeps its audit rows and the chain intact.
package audit

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"leadnavigator/backend/store"
)

// Entry is one audit record as written by the services.
type Entry struct {
	UserID      int64          // 0 when unknown (e.g. a failed login for an unknown email)
	WorkspaceID int64          // 0 when not about a workspace
	Action      string         // e.g. "login", "upload", "filter.applied"
	Details     map[string]any // JSON-serializable, never secrets
}

// Row is a stored entry as shown in the audit view.
type Row struct {
	ID          int64           `json:"id"`
	TS          string          `json:"ts"`
	UserID      int64           `json:"userId"`
	UserEmail   string          `json:"userEmail"`
	WorkspaceID int64           `json:"workspaceId"`
	Action      string          `json:"action"`
	Details     json.RawMessage `json:"details"`
}

// Log writes and reads entries.
type Log struct {
	db  *sql.DB
	Now func() time.Time // injectable clock for tests
}

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
	`ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
	ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
	CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
		BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: rows cannot be changed'); END;
	CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
		BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: rows cannot be deleted'); END;`,
}

// New migrates the audit table.
func New(db *sql.DB) (*Log, error) {
	if err := store.Migrate(db, "audit", migrations); err != nil {
		return nil, err
	}
	return &Log{db: db, Now: store.Now}, nil
}

// Record appends an entry, chaining it to the previous row. The
// transaction is IMMEDIATE (store's _txlock), so two writers cannot read
// the same previous hash.
func (l *Log) Record(e Entry) error {
	details := []byte("{}")
	if e.Details != nil {
		var err error
		if details, err = json.Marshal(redact(e.Details)); err != nil {
			return fmt.Errorf("audit details of %s: %w", e.Action, err)
		}
	}
	tx, err := l.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var lastID int64
	var prev string
	err = tx.QueryRow(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&lastID, &prev)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	r := Row{ID: lastID + 1, TS: l.Now().UTC().Format(store.TimeFormat), UserID: e.UserID,
		WorkspaceID: e.WorkspaceID, Action: e.Action, Details: details}
	_, err = tx.Exec(`INSERT INTO audit_log(id, ts, user_id, workspace_id, action, details, prev_hash, hash)
		VALUES(?,?,?,?,?,?,?,?)`, r.ID, r.TS, nullable(r.UserID), nullable(r.WorkspaceID), r.Action,
		string(details), prev, chainHash(prev, r))
	if err != nil {
		return err
	}
	return tx.Commit()
}

// sensitiveKey matches detail keys that would name a secret.
var sensitiveKey = regexp.MustCompile(`(?i)password|passwd|token|secret|api_?key|signing`)

// redact is a safety net under the rule that callers never pass secrets:
// a string under a key such as "password" or "token" is replaced.
func redact(d map[string]any) map[string]any {
	out := make(map[string]any, len(d))
	for k, v := range d {
		if _, isString := v.(string); isString && sensitiveKey.MatchString(k) {
			v = "[redacted]"
		}
		out[k] = v
	}
	return out
}

// chainHash is sha256(prev_hash || canonical fields). The canonical form is
// a JSON array, so no field can bleed into its neighbour.
func chainHash(prev string, r Row) string {
	canonical, _ := json.Marshal([]any{r.ID, r.TS, r.UserID, r.WorkspaceID, r.Action, string(r.Details)})
	sum := sha256.Sum256(append([]byte(prev), canonical...))
	return hex.EncodeToString(sum[:])
}

// Verification is the result of checking the whole chain.
type Verification struct {
	OK         bool  `json:"ok"`
	Checked    int   `json:"checked"`
	FirstBadID int64 `json:"firstBadId"` // 0 when OK
}

// Verify recomputes every row's hash in id order and checks that each row
// points at its predecessor's hash and that ids have no gaps (a deleted row).
func (l *Log) Verify() (Verification, error) {
	rows, err := l.db.Query(`SELECT id, ts, COALESCE(user_id,0), COALESCE(workspace_id,0), action, details, prev_hash, hash
		FROM audit_log ORDER BY id`)
	if err != nil {
		return Verification{}, err
	}
	defer rows.Close()
	v := Verification{OK: true}
	prevHash, prevID := "", int64(0)
	for rows.Next() {
		var r Row
		var details, storedPrev, stored string
		if err := rows.Scan(&r.ID, &r.TS, &r.UserID, &r.WorkspaceID, &r.Action, &details, &storedPrev, &stored); err != nil {
			return v, err
		}
		r.Details = json.RawMessage(details)
		v.Checked++
		if r.ID != prevID+1 || storedPrev != prevHash || chainHash(storedPrev, r) != stored {
			return Verification{OK: false, Checked: v.Checked, FirstBadID: r.ID}, nil
		}
		prevHash, prevID = stored, r.ID
	}
	return v, rows.Err()
}

// Filter selects rows for the audit view; zero fields do not filter.
type Filter struct {
	UserID int64  `json:"userId"`
	Action string `json:"action"`
	From   string `json:"from"` // YYYY-MM-DD (UTC), inclusive
	To     string `json:"to"`   // YYYY-MM-DD (UTC), inclusive
	Limit  int    `json:"limit"`
}

// List returns the rows about workspaceID, newest first, plus the
// account-level rows (login, logout, ...) of its current members, so an
// Owner sees their team's sign-ins without seeing other workspaces.
func (l *Log) List(workspaceID int64, f Filter) ([]Row, error) {
	q := `SELECT a.id, a.ts, COALESCE(a.user_id,0), COALESCE(u.email,''), COALESCE(a.workspace_id,0), a.action, a.details
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
		WHERE (a.workspace_id = ? OR (a.workspace_id IS NULL AND a.user_id IN
			(SELECT user_id FROM members WHERE workspace_id = ?)))`
	args := []any{workspaceID, workspaceID}
	if f.UserID != 0 {
		q += ` AND a.user_id = ?`
		args = append(args, f.UserID)
	}
	if f.Action != "" {
		q += ` AND a.action = ?`
		args = append(args, f.Action)
	}
	if f.From != "" {
		if _, err := time.Parse("2006-01-02", f.From); err != nil {
			return nil, fmt.Errorf("from date %q must be YYYY-MM-DD", f.From)
		}
		q += ` AND a.ts >= ?`
		args = append(args, f.From)
	}
	if f.To != "" {
		to, err := time.Parse("2006-01-02", f.To)
		if err != nil {
			return nil, fmt.Errorf("to date %q must be YYYY-MM-DD", f.To)
		}
		q += ` AND a.ts < ?`
		args = append(args, to.AddDate(0, 0, 1).Format("2006-01-02"))
	}
	if f.Limit <= 0 || f.Limit > 100000 {
		f.Limit = 100000
	}
	q += ` ORDER BY a.id DESC LIMIT ?`
	args = append(args, f.Limit)
	return l.query(q, args...)
}

func (l *Log) query(q string, args ...any) ([]Row, error) {
	return store.Collect(l.db, func(row store.Scanner) (Row, error) {
		var r Row
		var details string
		err := row.Scan(&r.ID, &r.TS, &r.UserID, &r.UserEmail, &r.WorkspaceID, &r.Action, &details)
		r.Details = json.RawMessage(details)
		return r, err
	}, q, args...)
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

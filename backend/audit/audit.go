// Package audit keeps the append-only audit trail: who did what, in which
// workspace, when. Details never carry secrets (passwords, tokens, keys).
//
// Tamper evidence: SQLite triggers refuse UPDATE and DELETE on audit_log,
// and every row is chained to the one before it: hash = HMAC-SHA-256(key,
// prev_hash || canonical row), with a key kept in the OS keychain, never in
// the database. Someone who can write the database file but not the
// keychain can neither edit a row nor re-compute the chain after an edit.
// The head of the chain (the last row's id and hash) is also kept in the
// keychain, so deleting the newest rows is detected too.
//
// Rows written before the chain was keyed (key_id ”) were chained with
// plain sha256 and still verify; the first keyed row chains onto them, so
// they are covered by the key from then on.
//
// The chain is global, not per workspace, and workspace_id is deliberately
// not a foreign key: deleting a workspace keeps its audit rows and the
// chain intact.
package audit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/keychain"
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
	db    *sql.DB
	Now   func() time.Time // injectable clock for tests
	keys  keychain.Store
	scope string // suffix of the keychain entries: one key and head per install
	key   []byte
	keyID string
	mu    sync.Mutex // one writer at a time in this process keeps the anchored head in order
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
	// key_id names the HMAC key a row was chained with ('' = plain sha256,
	// rows written before the chain was keyed).
	`ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
	CREATE INDEX audit_log_action ON audit_log(action);`,
}

// New migrates the audit table and loads (or creates) the chain key from
// keys. scope tells installs apart in a keychain they share (the install
// id). An existing trail is anchored at its current head the first time.
func New(db *sql.DB, keys keychain.Store, scope string) (*Log, error) {
	if err := store.Migrate(db, "audit", migrations); err != nil {
		return nil, err
	}
	l := &Log{db: db, Now: store.Now, keys: keys, scope: scope}
	if err := l.loadKey(); err != nil {
		return nil, err
	}
	if _, err := l.head(); errors.Is(err, keychain.ErrNotFound) {
		var last int64
		var hash string
		err := db.QueryRow(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&last, &hash)
		if err == nil {
			if err := l.setHead(last, hash); err != nil {
				return nil, err
			}
		}
	}
	return l, nil
}

func (l *Log) keyName() string  { return "audit-key:" + l.scope }
func (l *Log) headName() string { return "audit-head:" + l.scope }

// loadKey reads the chain key, creating it on first use.
func (l *Log) loadKey() error {
	enc, err := l.keys.Get(l.keyName())
	if err == nil {
		if key, derr := base64.StdEncoding.DecodeString(enc); derr == nil && len(key) >= 32 {
			l.setKey(key)
			return nil
		}
	} else if !errors.Is(err, keychain.ErrNotFound) {
		return fmt.Errorf("read the audit key from %s: %w", l.keys.Backend(), err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	if err := l.keys.Set(l.keyName(), base64.StdEncoding.EncodeToString(key)); err != nil {
		return fmt.Errorf("store the audit key in %s: %w", l.keys.Backend(), err)
	}
	l.setKey(key)
	return nil
}

func (l *Log) setKey(key []byte) {
	l.key = key
	sum := sha256.Sum256(key)
	l.keyID = hex.EncodeToString(sum[:8])
}

// head is the anchored last row: its id and hash.
func (l *Log) head() (anchor, error) {
	raw, err := l.keys.Get(l.headName())
	if err != nil {
		return anchor{}, err
	}
	id, hash, ok := strings.Cut(raw, ":")
	n, perr := strconv.ParseInt(id, 10, 64)
	if !ok || perr != nil {
		return anchor{}, fmt.Errorf("the audit head in %s is unreadable", l.keys.Backend())
	}
	return anchor{ID: n, Hash: hash}, nil
}

type anchor struct {
	ID   int64
	Hash string
}

func (l *Log) setHead(id int64, hash string) error {
	return l.keys.Set(l.headName(), fmt.Sprintf("%d:%s", id, hash))
}

// Record appends an entry, chaining it to the previous row, and moves the
// anchored head to it. The transaction is IMMEDIATE (store's _txlock), so
// two writers cannot read the same previous hash.
func (l *Log) Record(e Entry) error {
	details := []byte("{}")
	if e.Details != nil {
		var err error
		if details, err = json.Marshal(l.sanitize(e.Details)); err != nil {
			return fmt.Errorf("audit details of %s: %w", e.Action, err)
		}
		details = capDetails(details)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
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
		WorkspaceID: e.WorkspaceID, Action: truncate(e.Action, maxAction), Details: details}
	hash := keyedHash(l.key, prev, r)
	_, err = tx.Exec(`INSERT INTO audit_log(id, ts, user_id, workspace_id, action, details, prev_hash, hash, key_id)
		VALUES(?,?,?,?,?,?,?,?,?)`, r.ID, r.TS, nullable(r.UserID), nullable(r.WorkspaceID), r.Action,
		string(details), prev, hash, l.keyID)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// After the commit: a head that lags one row (a crash right here) only
	// leaves that row unanchored; a head ahead of the table would be a
	// false alarm.
	if err := l.setHead(r.ID, hash); err != nil {
		log.Printf("audit: anchor the head in %s: %v", l.keys.Backend(), err)
	}
	return nil
}

// Size limits: one request cannot write a megabyte into the trail.
const (
	maxAction      = 64
	maxString      = 256  // characters of one string value
	maxList        = 100  // items of one list
	maxDetailBytes = 8192 // the whole details object
)

// sensitiveKey matches detail keys that would name a secret.
var sensitiveKey = regexp.MustCompile(`(?i)password|passwd|token|secret|api_?key|signing`)

// emailKey matches detail keys that hold an email typed by someone.
var emailKey = regexp.MustCompile(`(?i)email$`)

// sanitize is a safety net under the rule that callers never pass
// secrets: a string under a key such as "password" or "token" is
// replaced; a value under an "email" key is kept only when it is a valid
// email address (normalised), else replaced by a keyed hash, because what
// was typed there may be a password; long strings and lists are cut.
func (l *Log) sanitize(d map[string]any) map[string]any {
	out := make(map[string]any, len(d))
	for k, v := range d {
		s, isString := v.(string)
		switch {
		case isString && sensitiveKey.MatchString(k):
			v = "[redacted]"
		case isString && emailKey.MatchString(k):
			v = l.safeEmail(s)
		default:
			v = limitValue(v)
		}
		out[truncate(k, maxAction)] = v
	}
	return out
}

// safeEmail is the normalised address, or "hmac:<16 hex>" of what was typed.
func (l *Log) safeEmail(s string) string {
	if s == "" {
		return ""
	}
	if norm, err := auth.NormalizeEmail(s); err == nil && len(norm) <= maxString {
		return norm
	}
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte("email\x00" + s))
	return "hmac:" + hex.EncodeToString(m.Sum(nil))[:16]
}

// limitValue cuts long strings and lists, recursively.
func limitValue(v any) any {
	switch t := v.(type) {
	case string:
		return truncate(t, maxString)
	case []string:
		out := make([]any, 0, min(len(t), maxList))
		for i, s := range t {
			if i == maxList {
				out = append(out, fmt.Sprintf("… %d more", len(t)-maxList))
				break
			}
			out = append(out, truncate(s, maxString))
		}
		return out
	case []any:
		out := make([]any, 0, min(len(t), maxList))
		for i, s := range t {
			if i == maxList {
				out = append(out, fmt.Sprintf("… %d more", len(t)-maxList))
				break
			}
			out = append(out, limitValue(s))
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[truncate(k, maxAction)] = limitValue(x)
		}
		return out
	case map[string][]string:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[truncate(k, maxAction)] = limitValue(x)
		}
		return out
	}
	return v
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + fmt.Sprintf("… (%d more characters)", len(r)-n)
}

// capDetails replaces details larger than maxDetailBytes (what limitValue
// could not shrink, e.g. a struct) by their size, hash and a prefix.
func capDetails(details []byte) []byte {
	if len(details) <= maxDetailBytes {
		return details
	}
	sum := sha256.Sum256(details)
	out, _ := json.Marshal(map[string]any{"truncated": true, "bytes": len(details),
		"sha256": hex.EncodeToString(sum[:]), "start": strings.ToValidUTF8(string(details[:1024]), "")})
	return out
}

// canonical is a row's fields as a JSON array, so no field can bleed into
// its neighbour.
func canonical(r Row) []byte {
	c, _ := json.Marshal([]any{r.ID, r.TS, r.UserID, r.WorkspaceID, r.Action, string(r.Details)})
	return c
}

// chainHash is the unkeyed sha256(prev_hash || canonical) of rows written
// before the chain was keyed.
func chainHash(prev string, r Row) string {
	sum := sha256.Sum256(append([]byte(prev), canonical(r)...))
	return hex.EncodeToString(sum[:])
}

// keyedHash is HMAC-SHA-256(key, prev_hash || canonical).
func keyedHash(key []byte, prev string, r Row) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(prev))
	m.Write(canonical(r))
	return hex.EncodeToString(m.Sum(nil))
}

// Verification is the result of checking the whole chain.
type Verification struct {
	OK         bool   `json:"ok"`
	Checked    int    `json:"checked"`
	FirstBadID int64  `json:"firstBadId"` // 0 when OK (or when rows are missing at the end)
	Reason     string `json:"reason"`     // why it failed, for people
}

// Verify recomputes every row's hash in id order and checks that each row
// points at its predecessor's hash, that ids have no gaps (a deleted row),
// that no unkeyed row follows a keyed one, and that the anchored head is
// still there with its hash (rows deleted from the end, a re-computed
// chain).
func (l *Log) Verify() (Verification, error) {
	rows, err := l.db.Query(`SELECT id, ts, COALESCE(user_id,0), COALESCE(workspace_id,0), action, details, prev_hash, hash, key_id
		FROM audit_log ORDER BY id`)
	if err != nil {
		return Verification{}, err
	}
	defer rows.Close()
	v := Verification{OK: true}
	bad := func(id int64, reason string) (Verification, error) {
		return Verification{OK: false, Checked: v.Checked, FirstBadID: id, Reason: reason}, nil
	}
	head, headErr := l.head()
	prevHash, prevID, keyed := "", int64(0), false
	for rows.Next() {
		var r Row
		var details, storedPrev, stored, keyID string
		if err := rows.Scan(&r.ID, &r.TS, &r.UserID, &r.WorkspaceID, &r.Action, &details, &storedPrev, &stored, &keyID); err != nil {
			return v, err
		}
		r.Details = json.RawMessage(details)
		v.Checked++
		if r.ID != prevID+1 || storedPrev != prevHash {
			return bad(r.ID, fmt.Sprintf("entry #%d does not follow entry #%d: entries were deleted or inserted", r.ID, prevID))
		}
		switch {
		case keyID == "" && keyed:
			return bad(r.ID, fmt.Sprintf("entry #%d is not signed with the audit key although earlier entries are: it was added or re-written outside the app", r.ID))
		case keyID == "" && chainHash(storedPrev, r) != stored:
			return bad(r.ID, fmt.Sprintf("entry #%d was changed after it was written", r.ID))
		case keyID != "" && keyID != l.keyID:
			return bad(r.ID, fmt.Sprintf("entry #%d was signed with an audit key this keychain does not hold (%s): the data directory was moved or the keychain was reset", r.ID, l.keys.Backend()))
		case keyID != "" && !hmac.Equal([]byte(keyedHash(l.key, storedPrev, r)), []byte(stored)):
			return bad(r.ID, fmt.Sprintf("entry #%d was changed after it was written", r.ID))
		}
		keyed = keyed || keyID != ""
		if headErr == nil && r.ID == head.ID && stored != head.Hash {
			return bad(r.ID, fmt.Sprintf("entry #%d is not the one anchored in %s: the trail was re-computed from an earlier entry", r.ID, l.keys.Backend()))
		}
		prevHash, prevID = stored, r.ID
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	if headErr == nil && prevID < head.ID {
		return Verification{OK: false, Checked: v.Checked, FirstBadID: prevID + 1,
			Reason: fmt.Sprintf("the trail ends at entry #%d but entry #%d was written: the newest entries were deleted", prevID, head.ID)}, nil
	}
	if headErr != nil && !errors.Is(headErr, keychain.ErrNotFound) {
		return v, headErr
	}
	return v, nil
}

// ExportOf returns who made the export file name and in which workspace,
// from its "export" entry.
func (l *Log) ExportOf(name string) (userID, workspaceID int64, err error) {
	err = l.db.QueryRow(`SELECT COALESCE(user_id,0), COALESCE(workspace_id,0) FROM audit_log
		WHERE action = 'export' AND json_extract(details, '$.file') = ? ORDER BY id DESC LIMIT 1`, name).Scan(&userID, &workspaceID)
	return
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

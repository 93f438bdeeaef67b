package audit

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"leadnavigator/backend/export"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"leadnavigator/backend/keychain"
	"leadnavigator/backend/store"
)

func newLog(t *testing.T) (*Log, *sql.DB) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// List joins users and members, which other packages own.
	db.Exec(`CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT); CREATE TABLE members(workspace_id INTEGER, user_id INTEGER)`)
	keys, err := keychain.NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(db, keys, "test")
	if err != nil {
		t.Fatal(err)
	}
	return l, db
}

func record(t *testing.T, l *Log, e Entry) {
	t.Helper()
	if err := l.Record(e); err != nil {
		t.Fatal(err)
	}
}

func TestAppendOnlyAndTamperDetection(t *testing.T) {
	l, db := newLog(t)
	for i := 0; i < 5; i++ {
		record(t, l, Entry{UserID: 1, WorkspaceID: 7, Action: "upload", Details: map[string]any{"n": i}})
	}
	if v, err := l.Verify(); err != nil || !v.OK || v.Checked != 5 {
		t.Fatalf("intact chain: %+v %v", v, err)
	}
	if _, err := db.Exec(`UPDATE audit_log SET action = 'x' WHERE id = 2`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("UPDATE not refused: %v", err)
	}
	if _, err := db.Exec(`DELETE FROM audit_log WHERE id = 2`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("DELETE not refused: %v", err)
	}
	// An attacker with the file drops the trigger and edits a row.
	db.Exec(`DROP TRIGGER audit_log_no_update`)
	if _, err := db.Exec(`UPDATE audit_log SET details = '{"n":99}' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	if v, _ := l.Verify(); v.OK || v.FirstBadID != 3 {
		t.Fatalf("edited row not detected: %+v", v)
	}
}

func TestDeletedRowIsDetected(t *testing.T) {
	l, db := newLog(t)
	for i := 0; i < 4; i++ {
		record(t, l, Entry{UserID: 1, Action: "login"})
	}
	db.Exec(`DROP TRIGGER audit_log_no_delete`)
	db.Exec(`DELETE FROM audit_log WHERE id = 2`)
	if v, _ := l.Verify(); v.OK || v.FirstBadID != 3 {
		t.Fatalf("deleted row not detected: %+v", v)
	}
}

func TestListFiltersAndExportNeutralizesFormulas(t *testing.T) {
	l, db := newLog(t)
	db.Exec(`INSERT INTO users(id, email) VALUES (1,'ann@example.com'),(2,'bob@example.com')`)
	db.Exec(`INSERT INTO members(workspace_id, user_id) VALUES (7,1)`)
	record(t, l, Entry{UserID: 1, Action: "login"})                                                                // account-level, member of 7
	record(t, l, Entry{UserID: 2, Action: "login"})                                                                // not a member of 7
	record(t, l, Entry{UserID: 1, WorkspaceID: 7, Action: "upload", Details: map[string]any{"file": "=cmd|calc"}}) // in 7
	record(t, l, Entry{UserID: 2, WorkspaceID: 8, Action: "upload"})                                               // other workspace
	rows, err := l.List(7, Filter{})
	if err != nil || len(rows) != 2 || rows[0].Action != "upload" || rows[1].Action != "login" || rows[0].UserEmail != "ann@example.com" {
		t.Fatalf("list of workspace 7: %+v %v", rows, err)
	}
	if rows, _ := l.List(7, Filter{Action: "login"}); len(rows) != 1 {
		t.Fatalf("action filter: %+v", rows)
	}
	if rows, _ := l.List(7, Filter{From: "2999-01-01"}); len(rows) != 0 {
		t.Fatalf("date filter: %+v", rows)
	}
	if _, err := l.List(7, Filter{To: "yesterday"}); err == nil {
		t.Fatal("bad date accepted")
	}
	rows[0].Details = []byte(`=HYPERLINK("x")`)
	dir := t.TempDir()
	csvPath, xlsxPath := filepath.Join(dir, "a.csv"), filepath.Join(dir, "a.xlsx")
	if err := export.Write(csvPath, ExportHeader, export.Slice(ExportRows(rows))); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(csvPath)
	recs, _ := csv.NewReader(f).ReadAll()
	f.Close()
	if len(recs) != 3 || recs[0][6] != "details" || recs[1][6] != `'=HYPERLINK("x")` || recs[1][5] != rows[0].Action {
		t.Fatalf("csv: %q", recs)
	}
	if err := export.Write(xlsxPath, ExportHeader, export.Slice(ExportRows(rows))); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if v, _ := x.GetCellValue("Sheet1", "G2"); v != `'=HYPERLINK("x")` {
		t.Fatalf("xlsx G2 = %q", v)
	}
}

func TestSecretsInDetailsAreRedacted(t *testing.T) {
	l, db := newLog(t)
	record(t, l, Entry{Action: "oops", Details: map[string]any{"password": "hunter2", "apiKey": "AIza-secret", "magicToken": "abc", "passwordChanged": true, "file": "a.csv"}})
	var d string
	db.QueryRow(`SELECT details FROM audit_log`).Scan(&d)
	for _, s := range []string{"hunter2", "AIza", "abc"} {
		if strings.Contains(d, s) {
			t.Fatalf("secret %q in %s", s, d)
		}
	}
	if !strings.Contains(d, `"passwordChanged":true`) || !strings.Contains(d, `"file":"a.csv"`) {
		t.Fatalf("non-secret details lost: %s", d)
	}
}

// Issue 11 #12: deleting the newest rows, or re-computing the chain from
// a changed row (the old unkeyed way or with a guessed key), is detected.
func TestTruncationAndRechainingAreDetected(t *testing.T) {
	l, db := newLog(t)
	for i := 0; i < 6; i++ {
		record(t, l, Entry{UserID: 1, Action: "login", Details: map[string]any{"n": i}})
	}
	db.Exec(`DROP TRIGGER audit_log_no_delete`)
	db.Exec(`DROP TRIGGER audit_log_no_update`)
	if _, err := db.Exec(`DELETE FROM audit_log WHERE id > 4`); err != nil {
		t.Fatal(err)
	}
	v, err := l.Verify()
	if err != nil || v.OK || v.FirstBadID != 5 || !strings.Contains(v.Reason, "deleted") {
		t.Fatalf("truncation: %+v %v", v, err)
	}

	l2, db2 := newLog(t)
	for i := 0; i < 4; i++ {
		record(t, l2, Entry{UserID: 1, Action: "login", Details: map[string]any{"n": i}})
	}
	db2.Exec(`DROP TRIGGER audit_log_no_update`)
	// Change row 2 and re-chain every row after it with plain sha256, as
	// an attacker without the key would.
	db2.Exec(`UPDATE audit_log SET details = '{"n":42}' WHERE id = 2`)
	rechain(t, db2, func(prev string, r Row) (string, string) { return chainHash(prev, r), "" })
	if v, _ := l2.Verify(); v.OK {
		t.Fatalf("unkeyed re-chaining passed: %+v", v)
	}
	// ... or with a key of their own.
	rechain(t, db2, func(prev string, r Row) (string, string) { return keyedHash([]byte("guessed key"), prev, r), l2.keyID })
	if v, _ := l2.Verify(); v.OK || v.FirstBadID != 1 {
		t.Fatalf("re-chaining with another key passed: %+v", v)
	}
}

// rechain recomputes every row's prev_hash and hash with h.
func rechain(t *testing.T, db *sql.DB, h func(prev string, r Row) (hash, keyID string)) {
	t.Helper()
	rows, err := db.Query(`SELECT id, ts, COALESCE(user_id,0), COALESCE(workspace_id,0), action, details FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var all []Row
	for rows.Next() {
		var r Row
		var d string
		rows.Scan(&r.ID, &r.TS, &r.UserID, &r.WorkspaceID, &r.Action, &d)
		r.Details = json.RawMessage(d)
		all = append(all, r)
	}
	rows.Close()
	prev := ""
	for _, r := range all {
		hash, keyID := h(prev, r)
		if _, err := db.Exec(`UPDATE audit_log SET prev_hash = ?, hash = ?, key_id = ? WHERE id = ?`, prev, hash, keyID, r.ID); err != nil {
			t.Fatal(err)
		}
		prev = hash
	}
}

// Rows written before the chain was keyed (plain sha256) still verify
// after the upgrade, and the keyed rows chain onto them.
func TestTrailsFromBeforeTheKeyStillVerify(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Exec(`CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT); CREATE TABLE members(workspace_id INTEGER, user_id INTEGER)`)
	// The table as the previous version left it: two migrations, unkeyed rows.
	if err := store.Migrate(db, "audit", migrations[:2]); err != nil {
		t.Fatal(err)
	}
	prev := ""
	for i := int64(1); i <= 3; i++ {
		r := Row{ID: i, TS: "2026-01-0" + fmt.Sprint(i) + "T10:00:00Z", UserID: 1, Action: "login", Details: json.RawMessage(`{}`)}
		h := chainHash(prev, r)
		db.Exec(`INSERT INTO audit_log(id, ts, user_id, action, details, prev_hash, hash) VALUES(?,?,?,?,?,?,?)`, r.ID, r.TS, r.UserID, r.Action, "{}", prev, h)
		prev = h
	}
	keys, _ := keychain.NewFileStore(dir)
	l, err := New(db, keys, "test")
	if err != nil {
		t.Fatal(err)
	}
	record(t, l, Entry{UserID: 1, Action: "logout"})
	if v, err := l.Verify(); err != nil || !v.OK || v.Checked != 4 {
		t.Fatalf("upgraded trail: %+v %v", v, err)
	}
	// Truncating back to the old rows is caught by the anchor.
	db.Exec(`DROP TRIGGER audit_log_no_delete`)
	db.Exec(`DELETE FROM audit_log WHERE id = 4`)
	if v, _ := l.Verify(); v.OK {
		t.Fatal("truncation to the unkeyed rows passed")
	}
}

func TestOversizedDetailsAreCut(t *testing.T) {
	l, db := newLog(t)
	record(t, l, Entry{Action: "login.failed", Details: map[string]any{"email": strings.Repeat("a", 1<<20), "note": strings.Repeat("b", 5000),
		"values": strings.Split(strings.Repeat("v,", 5000), ",")}})
	var d string
	db.QueryRow(`SELECT details FROM audit_log`).Scan(&d)
	if len(d) > maxDetailBytes || !strings.Contains(d, `"email":"hmac:`) {
		t.Fatalf("details of %d bytes: %.300s", len(d), d)
	}
}

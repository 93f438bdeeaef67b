package audit

import (
	"database/sql"
	"encoding/csv"
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

package cli

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"leadnavigator/backend/audit"
	"leadnavigator/backend/hosted"
	"leadnavigator/backend/mail"
	"leadnavigator/backend/store"
)

func TestAuditVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := openAuditLog(db, dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		l.Record(audit.Entry{UserID: 1, Action: "login"})
	}
	var out, errOut bytes.Buffer
	if code := Run([]string{"audit-verify", "--data-dir", dir}, &out, &errOut, nil); code != 0 || !strings.Contains(out.String(), "intact: 3") {
		t.Fatalf("intact trail: exit %d, %q %q", code, out.String(), errOut.String())
	}
	db.Exec(`DROP TRIGGER audit_log_no_update`)
	db.Exec(`UPDATE audit_log SET action = 'logout' WHERE id = 2`)
	db.Close()
	out.Reset()
	if code := Run([]string{"audit-verify", "--data-dir", dir}, &out, &errOut, nil); code != 1 || !strings.Contains(errOut.String(), "entry #2") {
		t.Fatalf("tampered trail: exit %d, %q", code, errOut.String())
	}
}

func TestAuthServerKeepsItsSigningKey(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "auth.db")
	srv, closeDB, err := openAuthServer(dbPath, mail.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	s, err := hosted.NewClient(hs.URL).Register("a@example.com", "long enough", "A")
	hs.Close()
	closeDB()
	if err != nil {
		t.Fatal(err)
	}
	// Reopened (a restart): the same key still verifies old sessions.
	srv, closeDB, err = openAuthServer(dbPath, mail.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	hs = httptest.NewServer(srv.Handler())
	defer hs.Close()
	if _, err := hosted.NewClient(hs.URL).Mine(s.Token); err != nil {
		t.Fatalf("session after restart: %v", err)
	}
}

package api

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leadnavigator/backend/audit"
	"leadnavigator/backend/filters"
)

// In serve mode the UI is a web page: it must not be able to make the
// server read a file outside its uploads, nor write outside the exports
// folder.
func TestBrowserClientIsConfinedToUploadsAndExports(t *testing.T) {
	f := newFixture(t)
	f.api.cfg.BrowserClient = true
	owner := f.tokens[asOwner]

	secret := filepath.Join(t.TempDir(), "secret.csv")
	must(t, os.WriteFile(secret, []byte("a,b\n1,2\n"), 0o600))
	if _, err := f.api.ImportFile(owner, f.ws, secret, ""); err == nil || !strings.Contains(err.Error(), "uploading") {
		t.Fatalf("import of a server path: %v", err)
	}
	upload := filepath.Join(f.dir, "uploads", "up-1", "leads.csv")
	must(t, os.MkdirAll(filepath.Dir(upload), 0o700))
	must(t, os.WriteFile(upload, []byte("a,b\n1,2\n3,4\n"), 0o600))
	sum, err := f.api.ImportFile(owner, f.ws, upload, "")
	if err != nil || sum.Dataset.Rows != 2 {
		t.Fatalf("import of an upload: %+v %v", sum.Dataset, err)
	}

	outside := filepath.Join(t.TempDir(), "out.csv")
	if _, err := f.api.ExportAudit(owner, f.ws, audit.Filter{}, "csv", outside); err == nil {
		t.Fatal("audit export to a chosen server path accepted")
	}
	if _, err := f.api.ExportRows(owner, f.ws, f.dataset(f.ws), filters.Set{}, outside); err == nil {
		t.Fatal("rows export to a chosen server path accepted")
	}
	if _, err := os.Stat(outside); !os.IsNotExist(err) {
		t.Fatalf("a file was written outside the exports folder: %v", err)
	}
	name, err := f.api.ExportAudit(owner, f.ws, audit.Filter{}, "csv", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "exports", name)); err != nil {
		t.Fatalf("download export missing: %v", err)
	}
}

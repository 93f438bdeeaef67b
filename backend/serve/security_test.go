package serve

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// Issue 11 #6: an upload over the limit is refused while streaming and
// leaves nothing behind; leftovers of an earlier run are removed at start
// and old uploads and exports by the janitor.
func TestUploadLimitAndLeftovers(t *testing.T) {
	dir := t.TempDir()
	uploads, exports := filepath.Join(dir, "uploads"), filepath.Join(dir, "exports")
	os.MkdirAll(filepath.Join(uploads, "up-crashed"), 0o700)
	os.WriteFile(filepath.Join(uploads, "up-crashed", "big.csv"), []byte("left by a kill -9"), 0o600)
	s := New(NewDispatcher(&greeter{}), fstest.MapFS{}, Options{UploadDir: uploads, ExportDir: exports, Accounts: fakeAccounts{}, UploadLimit: 1000})
	if entries, _ := os.ReadDir(uploads); len(entries) != 0 {
		t.Fatalf("uploads left from the last run: %v", entries)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	send := func(body string, chunked bool) (int, string) {
		var r = strings.NewReader(body)
		req, _ := http.NewRequest("POST", srv.URL+"/upload", r)
		if chunked {
			req.ContentLength = -1 // no length announced: the limit must hold while streaming
		}
		req.Header.Set("X-Filename", "big.csv")
		req.Header.Set("Authorization", "Bearer good")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]string
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out["error"] + out["path"]
	}
	for _, chunked := range []bool{false, true} {
		if code, msg := send(strings.Repeat("x", 5000), chunked); code != http.StatusRequestEntityTooLarge || !strings.Contains(msg, "big.csv") {
			t.Fatalf("oversized upload (chunked %v): %d %q", chunked, code, msg)
		}
	}
	if entries, _ := os.ReadDir(uploads); len(entries) != 0 {
		t.Fatalf("a refused upload left files: %v", entries)
	}
	code, path := send("a,b\n1,2\n", true)
	if code != 200 {
		t.Fatalf("small upload: %d %s", code, path)
	}
	os.WriteFile(filepath.Join(exports, "old.csv"), []byte("x"), 0o600)
	old := time.Now().Add(-7 * time.Hour)
	os.Chtimes(filepath.Dir(path), old, old)
	os.Chtimes(filepath.Join(exports, "old.csv"), old, old)
	s.Clean()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("an upload never imported survived the janitor: %v", err)
	}
	if _, err := os.Stat(filepath.Join(exports, "old.csv")); !os.IsNotExist(err) {
		t.Fatalf("an expired export survived the janitor: %v", err)
	}
}

// Event streams need a session and carry only the user's own events.
func TestEventsGoOnlyToTheirUser(t *testing.T) {
	b := NewBroker()
	one, two := make(chan []byte, 4), make(chan []byte, 4)
	b.add(one, 1)
	b.add(two, 2)
	b.EmitTo(1, "import:progress", map[string]int{"rows": 5})
	if len(one) != 1 || len(two) != 0 {
		t.Fatalf("user 1 got %d, user 2 got %d events", len(one), len(two))
	}
	for i := 0; i < maxStreamsPerUser; i++ {
		b.add(make(chan []byte, 1), 3)
	}
	if b.add(make(chan []byte, 1), 3) {
		t.Fatal("one account opened more than the stream limit")
	}
}

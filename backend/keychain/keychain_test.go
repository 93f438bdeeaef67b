package keychain

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileStoreRoundTripIsEncrypted(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(SessionToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty store: got %v, want ErrNotFound", err)
	}
	if err := s.Set(SessionToken, "secret-token-value"); err != nil {
		t.Fatal(err)
	}
	again, _ := NewFileStore(dir)
	if v, err := again.Get(SessionToken); err != nil || v != "secret-token-value" {
		t.Fatalf("reopened store: got %q, %v", v, err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "secrets.enc"))
	if strings.Contains(string(raw), "secret-token-value") {
		t.Fatal("secret stored in clear text")
	}
	info, _ := os.Stat(filepath.Join(dir, "secrets.key"))
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", info.Mode().Perm())
	}
	if err := again.Delete(SessionToken); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Get(SessionToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestFileStoreRefusesAnotherKey(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewFileStore(dir)
	if err := s.Set(GeminiAPIKey, "k"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "secrets.key"), make([]byte, 32), 0o600) // as if copied elsewhere
	if _, err := s.Get(GeminiAPIKey); err == nil || !strings.Contains(err.Error(), "cannot be decrypted") {
		t.Fatalf("got %v, want a decryption error", err)
	}
}

func TestOpenUsesTheOSKeychainWhenTheProbeWorks(t *testing.T) {
	Mock()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend() != "OS keychain" {
		t.Fatalf("backend %q", s.Backend())
	}
}

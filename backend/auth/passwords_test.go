package auth

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Issue 11 #15: all of an 8..128 character password counts, including
// what lies past bcrypt's 72 bytes.
func TestLongPasswordsCountEveryCharacter(t *testing.T) {
	s, _ := newService(t)
	long := strings.Repeat("horse-battery-", 6) + "staple-93chars" // 98 ASCII characters
	if _, err := s.Register("long@example.com", long, "Long"); err != nil {
		t.Fatalf("register with %d characters: %v", len(long), err)
	}
	if _, err := s.Login("long@example.com", long); err != nil {
		t.Fatalf("login: %v", err)
	}
	if _, err := s.Login("long@example.com", long[:len(long)-1]+"X"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("a password differing after byte 72 was accepted: %v", err)
	}
	emoji := strings.Repeat("🐴", 40) // 40 characters, 160 bytes
	if _, err := s.Register("emoji@example.com", emoji, "E"); err != nil {
		t.Fatalf("multi-byte password: %v", err)
	}
}

// Hashes made before the pre-hash keep working and are upgraded at login.
func TestOldBcryptHashesStillWorkAndAreUpgraded(t *testing.T) {
	s, _ := newService(t)
	old, _ := bcrypt.GenerateFromPassword([]byte("an old password"), bcrypt.MinCost)
	if _, err := s.db.Exec(`INSERT INTO users(email, password_hash, full_name, created_at) VALUES('old@example.com', ?, 'Old', '2025-01-01T00:00:00Z')`, string(old)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login("old@example.com", "an old password"); err != nil {
		t.Fatalf("old hash: %v", err)
	}
	var stored string
	s.db.QueryRow(`SELECT password_hash FROM users WHERE email = 'old@example.com'`).Scan(&stored)
	if !strings.HasPrefix(stored, prehashedPrefix) {
		t.Fatalf("hash not upgraded: %q", stored)
	}
	if _, err := s.Login("old@example.com", "an old password"); err != nil {
		t.Fatalf("after upgrade: %v", err)
	}
}

func TestCommonPasswordsAreRefused(t *testing.T) {
	if len(commonPasswords) < 3000 {
		t.Fatalf("only %d common passwords embedded", len(commonPasswords))
	}
	for _, pw := range []string{"password123", "Iloveyou", "12345678", "qwertyuiop"} {
		if err := ValidatePassword(pw); !errors.Is(err, ErrCommonPassword) {
			t.Errorf("%q: %v", pw, err)
		}
	}
	if err := ValidatePassword("correct horse battery"); err != nil {
		t.Errorf("a long passphrase refused: %v", err)
	}
}

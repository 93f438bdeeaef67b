package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"leadnavigator/backend/store"
)

// clock is an injectable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }
func key() []byte                    { return []byte("0123456789abcdef0123456789abcdef") }
func newService(t *testing.T) (*Service, *clock) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := New(db, key(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.UseFastHashingForTests()
	c := newClock()
	s.Now = c.now
	return s, c
}

func TestRegisterValidatesAndLowercasesEmail(t *testing.T) {
	s, _ := newService(t)
	if _, err := s.Register("not-an-email", "long enough", ""); err == nil || !strings.Contains(err.Error(), "not a valid email") {
		t.Fatalf("bad email: %v", err)
	}
	if _, err := s.Register("a@example.com", "short", ""); err == nil || !strings.Contains(err.Error(), "at least 8") {
		t.Fatalf("short password: %v", err)
	}
	if _, err := s.Register("a@example.com", strings.Repeat("x", 129), ""); err == nil || !strings.Contains(err.Error(), "at most 128") {
		t.Fatalf("long password: %v", err)
	}
	sess, err := s.Register("Ann@Example.com", "long enough", "Ann")
	if err != nil || sess.User.Email != "ann@example.com" {
		t.Fatalf("register: %+v %v", sess, err)
	}
	if _, err := s.Register("ANN@example.com", "long enough", ""); !errors.Is(err, ErrEmailTaken) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := s.Login("ANN@EXAMPLE.COM", "long enough"); err != nil {
		t.Fatalf("case-insensitive login: %v", err)
	}
}

func TestBadCredentialsAreGenericAndLockAfterFiveFailures(t *testing.T) {
	s, c := newService(t)
	s.Register("ann@example.com", "long enough", "")
	_, unknown := s.Login("nobody@example.com", "whatever1")
	_, wrong := s.Login("ann@example.com", "wrong password")
	if unknown == nil || wrong == nil || unknown.Error() != wrong.Error() {
		t.Fatalf("unknown email %v and wrong password %v must answer the same", unknown, wrong)
	}
	for i := 0; i < 3; i++ {
		c.add(time.Minute)
		s.Login("ann@example.com", "wrong password")
	}
	c.add(time.Minute)
	if _, err := s.Login("ann@example.com", "wrong password"); !errors.Is(err, ErrLocked) {
		t.Fatalf("5th failure: got %v, want ErrLocked", err)
	}
	if _, err := s.Login("ann@example.com", "long enough"); !errors.Is(err, ErrLocked) {
		t.Fatalf("right password while locked: got %v, want ErrLocked", err)
	}
	if !strings.Contains(ErrLocked.Error(), "try again later") {
		t.Fatal("locked message must say to try again later")
	}
	c.add(LockDuration + time.Second)
	if _, err := s.Login("ann@example.com", "long enough"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// Unknown emails lock the same way (no enumeration through the lock).
	for i := 0; i < MaxFailures; i++ {
		_, unknown = s.Login("ghost@example.com", "whatever1")
	}
	if !errors.Is(unknown, ErrLocked) {
		t.Fatalf("unknown email after 5 failures: %v", unknown)
	}
}

func TestJWTRefusals(t *testing.T) {
	s, c := newService(t)
	sess, _ := s.Register("ann@example.com", "long enough", "")
	if _, err := s.Verify(sess.Token); err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	claimsFor := func() claims {
		var cl claims
		jwt.ParseWithClaims(sess.Token, &cl, func(*jwt.Token) (any, error) { return key(), nil })
		return cl
	}
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claimsFor()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	rs256, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, claimsFor()).SignedString(rsaKey)
	hs512, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, claimsFor()).SignedString(key())
	otherKey, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claimsFor()).SignedString([]byte("another key, another key, 32 bytes!"))
	parts := strings.Split(sess.Token, ".")
	tamperedPayload := parts[0] + "." + strings.TrimRight(parts[1], "A") + "B." + parts[2]
	for name, tok := range map[string]string{
		"alg none": none, "RS256": rs256, "HS512": hs512, "wrong key": otherKey,
		"tampered payload": tamperedPayload, "garbage": "a.b.c", "empty": "",
	} {
		if _, err := s.Verify(tok); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s: got %v, want ErrUnauthenticated", name, err)
		}
	}
	c.add(30*24*time.Hour + time.Second)
	if _, err := s.Verify(sess.Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("expired token accepted: %v", err)
	}
}

func TestIdleTimeoutAndLogout(t *testing.T) {
	s, c := newService(t)
	s.SetIdleTimeout(30 * time.Minute)
	sess, _ := s.Register("ann@example.com", "long enough", "")
	c.add(29 * time.Minute)
	if _, err := s.Verify(sess.Token); err != nil {
		t.Fatalf("within idle timeout: %v", err)
	}
	c.add(31 * time.Minute)
	if _, err := s.Verify(sess.Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("idle session accepted: %v", err)
	}
	sess2, _ := s.Login("ann@example.com", "long enough")
	if err := s.Logout(sess2.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(sess2.Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("token accepted after logout: %v", err)
	}
}

func TestMagicLinkOnceAndFiveMinutes(t *testing.T) {
	s, c := newService(t)
	s.Register("ann@example.com", "long enough", "")
	if _, _, ok, err := s.CreateMagicLink("nobody@example.com"); ok || err != nil {
		t.Fatalf("unknown email: ok=%v err=%v", ok, err)
	}
	tok, _, ok, err := s.CreateMagicLink("Ann@example.com")
	if !ok || err != nil || len(tok) != 43 {
		t.Fatalf("token %q ok=%v err=%v (want 43 url-safe chars = 32 bytes)", tok, ok, err)
	}
	var stored string
	s.db.QueryRow(`SELECT token_hash FROM magic_links`).Scan(&stored)
	if stored == tok || stored != HashToken(tok) {
		t.Fatal("magic link token must be stored only as its sha256")
	}
	if sess, err := s.ConsumeMagicLink(tok); err != nil || sess.User.Email != "ann@example.com" {
		t.Fatalf("first use: %v", err)
	}
	if _, err := s.ConsumeMagicLink(tok); !errors.Is(err, ErrBadMagicLink) {
		t.Fatalf("second use: %v", err)
	}
	late, _, _, _ := s.CreateMagicLink("ann@example.com")
	c.add(MagicLinkTTL + time.Second)
	if _, err := s.ConsumeMagicLink(late); !errors.Is(err, ErrBadMagicLink) {
		t.Fatalf("after 5 minutes: %v", err)
	}
}

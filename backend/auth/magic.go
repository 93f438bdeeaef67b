package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"leadnavigator/backend/store"
)

// MagicLinkTTL is how long an emailed login link works.
const MagicLinkTTL = 5 * time.Minute

// ErrBadMagicLink is the one answer for an unknown, used or expired link.
var ErrBadMagicLink = errors.New("this login link is invalid, has expired or was already used: request a new one")

// NewToken returns 32 random bytes, URL-safe base64 (no padding).
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how one-time tokens are stored: only their sha256, so a
// copy of the database cannot be used to log in.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateMagicLink returns a fresh login token for the account with email,
// and ok=false (no token, no error) when there is no such account: the
// caller must answer the same either way.
func (s *Service) CreateMagicLink(email string) (token string, u User, ok bool, err error) {
	email, err = NormalizeEmail(email)
	if err != nil {
		return "", User{}, false, err
	}
	u, err = s.UserByEmail(email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", User{}, false, nil
	}
	if err != nil {
		return "", User{}, false, err
	}
	token = NewToken()
	now := s.Now()
	_, err = s.db.Exec(`INSERT INTO magic_links(token_hash, email, created_at, expires_at) VALUES(?,?,?,?)`,
		HashToken(token), email, now.Format(store.TimeFormat), now.Add(MagicLinkTTL).Format(store.TimeFormat))
	if err != nil {
		return "", User{}, false, err
	}
	return token, u, true, nil
}

// ConsumeMagicLink spends a token (once) and opens a session for its account.
func (s *Service) ConsumeMagicLink(token string) (Session, error) {
	if token == "" {
		return Session{}, ErrBadMagicLink
	}
	now := s.Now().Format(store.TimeFormat)
	var email string
	// Marking the row used in the same statement that checks it makes the
	// token single-use even with two concurrent attempts.
	err := s.db.QueryRow(`UPDATE magic_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
		RETURNING email`, now, HashToken(token), now).Scan(&email)
	if err != nil {
		return Session{}, ErrBadMagicLink
	}
	u, err := s.UserByEmail(email)
	if err != nil {
		return Session{}, ErrBadMagicLink
	}
	return s.OpenSession(u)
}

// EnsureUser returns the local account for email, creating it without a
// password when it does not exist (accounts managed by a hosted auth server
// have their password there, not here).
func (s *Service) EnsureUser(email, fullName string) (User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	_, err = s.db.Exec(`INSERT INTO users(email, full_name, created_at) VALUES(?,?,?) ON CONFLICT(email) DO NOTHING`,
		email, fullName, s.Now().Format(store.TimeFormat))
	if err != nil {
		return User{}, err
	}
	return s.UserByEmail(email)
}

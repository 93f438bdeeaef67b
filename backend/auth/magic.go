package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
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
	now := s.Now()
	if s.mailedRecently(email, now) {
		return "", u, false, nil
	}
	token = NewToken()
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
		return s.confirmRegistration(token)
	}
	u, err := s.UserByEmail(email)
	if err != nil {
		return Session{}, ErrBadMagicLink
	}
	// The link reached the inbox: the account owns its address.
	s.db.Exec(`UPDATE users SET email_verified_at = ? WHERE id = ? AND email_verified_at IS NULL`, now, u.ID)
	return s.OpenSession(u)
}

// RegistrationTTL is how long the code of a registration waiting for its
// email to be confirmed works.
const RegistrationTTL = time.Hour

// Registration is the result of StartRegistration: what to mail.
type Registration struct {
	Email string
	// Token confirms a new account (mail it); "" when nothing is to be
	// mailed (an existing account, or the address got enough mail).
	Token string
	// Existing is the account that already has this email (ID 0: none):
	// mail its owner a login link instead, and answer as for a new one.
	Existing User
}

// StartRegistration validates a registration and, for a new email, keeps
// it (with the password's hash) until the code mailed to the address
// comes back through ConsumeMagicLink. The caller answers the same for a
// new and an existing email, so registering reveals nothing.
func (s *Service) StartRegistration(email, password, fullName string) (Registration, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return Registration{}, err
	}
	if err := ValidatePassword(password); err != nil {
		return Registration{}, err
	}
	reg := Registration{Email: email}
	if u, err := s.UserByEmail(email); err == nil {
		reg.Existing = u
		hashPassword(password, s.bcrypt) // the same work as for a new email: timing reveals nothing
		return reg, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return reg, err
	}
	now := s.Now()
	if s.mailedRecently(email, now) {
		return reg, nil
	}
	hash, err := hashPassword(password, s.bcrypt)
	if err != nil {
		return reg, err
	}
	token := NewToken()
	_, err = s.db.Exec(`INSERT INTO pending_registrations(token_hash, email, password_hash, full_name, created_at, expires_at) VALUES(?,?,?,?,?,?)`,
		HashToken(token), email, hash, strings.TrimSpace(fullName), now.Format(store.TimeFormat), now.Add(RegistrationTTL).Format(store.TimeFormat))
	if err != nil {
		return reg, err
	}
	reg.Token = token
	return reg, nil
}

// confirmRegistration creates the account of a pending registration
// (its email now proven) and opens a session.
func (s *Service) confirmRegistration(token string) (Session, error) {
	now := s.Now().Format(store.TimeFormat)
	var email, hash, name string
	err := s.db.QueryRow(`DELETE FROM pending_registrations WHERE token_hash = ? AND expires_at > ? RETURNING email, password_hash, full_name`,
		HashToken(token), now).Scan(&email, &hash, &name)
	if err != nil {
		return Session{}, ErrBadMagicLink
	}
	res, err := s.db.Exec(`INSERT INTO users(email, password_hash, full_name, created_at, email_verified_at) VALUES(?,?,?,?,?)`,
		email, hash, name, now, now)
	if err != nil {
		return Session{}, ErrBadMagicLink // registered by another way meanwhile
	}
	id, _ := res.LastInsertId()
	s.db.Exec(`DELETE FROM pending_registrations WHERE email = ?`, email)
	sess, err := s.OpenSession(User{ID: id, Email: email, FullName: name})
	sess.NewAccount = err == nil
	return sess, err
}

// Mail throttle: at most MaxMailsPerWindow login links are mailed to one
// address per MailWindow, so nobody can flood an inbox through the app.
const (
	MaxMailsPerWindow = 3
	MailWindow        = 15 * time.Minute
)

func (s *Service) mailedRecently(email string, now time.Time) bool {
	var n int
	since := now.Add(-MailWindow).Format(store.TimeFormat)
	s.db.QueryRow(`SELECT (SELECT COUNT(*) FROM magic_links WHERE email = ? AND created_at > ?)
		+ (SELECT COUNT(*) FROM pending_registrations WHERE email = ? AND created_at > ?)`, email, since, email, since).Scan(&n)
	return n >= MaxMailsPerWindow
}

// ErrEmailNotVerified asks for proof of the address before an invitation
// to it is accepted: registering does not prove an email is yours.
var ErrEmailNotVerified = errors.New("confirm that this email address is yours first: open the link in the invitation email " +
	"(or paste its code under Members > My invitations), or log in once with a login link sent to this address")

// EmailVerified reports whether the account proved its address.
func (s *Service) EmailVerified(userID int64) bool {
	var at sql.NullString
	s.db.QueryRow(`SELECT email_verified_at FROM users WHERE id = ?`, userID).Scan(&at)
	return at.Valid
}

// MarkEmailVerified records that the account proved its address (a login
// link of a trusted shared account server).
func (s *Service) MarkEmailVerified(userID int64) {
	s.db.Exec(`UPDATE users SET email_verified_at = ? WHERE id = ? AND email_verified_at IS NULL`, s.Now().Format(store.TimeFormat), userID)
}

// ErrHostedLinkNeedsProof refuses to hand an existing account of this
// install to whoever holds the same email on the shared account server.
var ErrHostedLinkNeedsProof = errors.New("an account with this email already exists on this installation and is not linked to " +
	"the shared account server yet: to link them, log in with a login link sent to this email, or with the same password as " +
	"this installation's account")

// HostedProof is what a login through the shared account server proved.
type HostedProof struct {
	// EmailProven: the login used a link mailed to the address.
	EmailProven bool
	// Password typed at the login, checked against this install's own
	// hash of the account (proving control of the local account).
	Password string
}

// AdoptHosted returns the local account for a user the hosted server
// vouched for. A new email gets a passwordless account bound to server.
// An account already bound to server is returned. Any other account of
// the same email (a local one, or one bound to another server) is linked
// only when the login proved control of it: a mailed link, or its local
// password; else ErrHostedLinkNeedsProof.
func (s *Service) AdoptHosted(email, fullName, server string, proof HostedProof) (User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	now := s.Now().Format(store.TimeFormat)
	var verified any
	if proof.EmailProven {
		verified = now
	}
	_, err = s.db.Exec(`INSERT INTO users(email, full_name, created_at, hosted_server, email_verified_at) VALUES(?,?,?,?,?)
		ON CONFLICT(email) DO NOTHING`, email, strings.TrimSpace(fullName), now, server, verified)
	if err != nil {
		return User{}, err
	}
	var u User
	var bound, hash sql.NullString
	err = s.db.QueryRow(`SELECT id, email, full_name, hosted_server, password_hash FROM users WHERE email = ?`, email).
		Scan(&u.ID, &u.Email, &u.FullName, &bound, &hash)
	if err != nil {
		return User{}, err
	}
	if bound.String != server {
		passwordOK := false
		if hash.Valid && proof.Password != "" {
			passwordOK, _ = checkPassword(hash.String, proof.Password)
		}
		if !proof.EmailProven && !passwordOK {
			return User{}, ErrHostedLinkNeedsProof
		}
		if _, err := s.db.Exec(`UPDATE users SET hosted_server = ? WHERE id = ?`, server, u.ID); err != nil {
			return User{}, err
		}
	}
	if proof.EmailProven {
		s.MarkEmailVerified(u.ID)
	}
	return u, nil
}

// EnsureHostedMember returns the local account for email, creating it
// bound to server when missing, without linking an existing one: an Owner
// of this install invited that email, so its existing account joins.
func (s *Service) EnsureHostedMember(email, server string) (User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	_, err = s.db.Exec(`INSERT INTO users(email, full_name, created_at, hosted_server) VALUES(?,?,?,?) ON CONFLICT(email) DO NOTHING`,
		email, "", s.Now().Format(store.TimeFormat), server)
	if err != nil {
		return User{}, err
	}
	return s.UserByEmail(email)
}

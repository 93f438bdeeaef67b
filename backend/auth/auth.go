// Package auth owns user accounts and sessions: registration, password
// login, session tokens (JWT HS256) and their revocation.
package auth

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"leadnavigator/backend/store"
)

// Errors the UI shows as they are. ErrBadCredentials is deliberately the
// same for an unknown email and a wrong password (no user enumeration).
var (
	ErrUnauthenticated = errors.New("you are not logged in or your session has expired")
	ErrBadCredentials  = errors.New("email or password is incorrect")
	ErrEmailTaken      = errors.New("an account with this email already exists")
	// ErrLocked keeps the generic wording: it is returned for unknown
	// emails too, so it does not reveal whether an account exists.
	ErrLocked = errors.New("email or password is incorrect; too many failed attempts, try again later")
)

// User is an account as shown to the UI (never carries the password hash).
type User struct {
	ID       int64  `json:"id"`
	Email    string `json:"email"`
	FullName string `json:"fullName"`
}

// Identity is the verified caller behind a session token.
type Identity struct {
	User
	SessionID string `json:"-"`
}

// Session is what a successful login returns to the UI. Pending (no
// token) answers a registration that waits for its email to be confirmed.
type Session struct {
	Token   string `json:"token"`
	User    User   `json:"user"`
	Pending bool   `json:"pending,omitempty"`
	// NewAccount: this login confirmed a registration (for the audit trail).
	NewAccount bool `json:"-"`
}

// Config tunes session lifetime.
type Config struct {
	TokenTTL    time.Duration // default 30 days
	IdleTimeout time.Duration // 0: no idle timeout
}

// Service implements accounts and sessions over the app's SQLite database.
type Service struct {
	db     *sql.DB
	key    []byte
	cfg    Config
	idle   atomic.Int64     // idle timeout in ns; Settings changes it while requests run
	Now    func() time.Time // injectable clock for tests
	bcrypt int
}

var migrations = []string{
	`CREATE TABLE users (
		id INTEGER PRIMARY KEY,
		email TEXT NOT NULL UNIQUE,
		password_hash TEXT,
		full_name TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL
	);
	CREATE TABLE sessions (
		id TEXT PRIMARY KEY,
		user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		created_at TEXT NOT NULL,
		last_seen TEXT NOT NULL,
		revoked_at TEXT
	);`,
	`CREATE TABLE login_failures (
		email TEXT NOT NULL,
		at TEXT NOT NULL
	);
	CREATE INDEX login_failures_email ON login_failures(email, at);
	CREATE TABLE magic_links (
		token_hash TEXT PRIMARY KEY,
		email TEXT NOT NULL,
		created_at TEXT NOT NULL,
		expires_at TEXT NOT NULL,
		used_at TEXT
	);`,
	// email_verified_at: the account proved it receives mail at its
	// address (a login link or a confirmed registration). hosted_server:
	// the shared account server this account is bound to (its password
	// lives there), NULL for an account of this install only.
	`ALTER TABLE users ADD COLUMN email_verified_at TEXT;
	ALTER TABLE users ADD COLUMN hosted_server TEXT;
	CREATE TABLE pending_registrations (
		token_hash TEXT PRIMARY KEY,
		email TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		full_name TEXT NOT NULL,
		created_at TEXT NOT NULL,
		expires_at TEXT NOT NULL
	);
	CREATE INDEX magic_links_email ON magic_links(email, created_at);`,
}

// New migrates the auth tables and returns the service. signingKey must be
// at least 32 random bytes (kept in the OS keychain by the caller).
func New(db *sql.DB, signingKey []byte, cfg Config) (*Service, error) {
	if len(signingKey) < 32 {
		return nil, errors.New("session signing key must be at least 32 bytes")
	}
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = 30 * 24 * time.Hour
	}
	if err := store.Migrate(db, "auth", migrations); err != nil {
		return nil, err
	}
	s := &Service{db: db, key: signingKey, cfg: cfg, Now: store.Now, bcrypt: bcrypt.DefaultCost}
	s.idle.Store(int64(cfg.IdleTimeout))
	return s, nil
}

// SetIdleTimeout changes the idle timeout for subsequent checks (0: none).
func (s *Service) SetIdleTimeout(d time.Duration) { s.idle.Store(int64(d)) }

// UseFastHashingForTests lowers the bcrypt cost; tests only.
func (s *Service) UseFastHashingForTests() { s.bcrypt = bcrypt.MinCost }

// NormalizeEmail validates an address and returns its canonical lower-case form.
func NormalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		return "", fmt.Errorf("%q is not a valid email address", email)
	}
	return strings.ToLower(email), nil
}

// ValidatePassword enforces the 8..128 character rule (every character
// counts: see passwords.go) and refuses the most common passwords.
func ValidatePassword(pw string) error {
	n := len([]rune(pw))
	if n < 8 {
		return errors.New("password must be at least 8 characters")
	}
	if n > 128 {
		return errors.New("password must be at most 128 characters")
	}
	if IsCommonPassword(pw) {
		return ErrCommonPassword
	}
	return nil
}

// Register creates an account and opens a session for it.
func (s *Service) Register(email, password, fullName string) (Session, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return Session{}, err
	}
	if err := ValidatePassword(password); err != nil {
		return Session{}, err
	}
	hash, err := hashPassword(password, s.bcrypt)
	if err != nil {
		return Session{}, err
	}
	res, err := s.db.Exec(`INSERT INTO users(email, password_hash, full_name, created_at) VALUES(?,?,?,?)`,
		email, hash, strings.TrimSpace(fullName), s.Now().Format(store.TimeFormat))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return Session{}, ErrEmailTaken
		}
		return Session{}, err
	}
	id, _ := res.LastInsertId()
	return s.OpenSession(User{ID: id, Email: email, FullName: strings.TrimSpace(fullName)})
}

// Login checks a password and opens a session. Unknown emails still pay the
// bcrypt cost so response time does not reveal which emails exist, and
// failures are counted per email whether the account exists or not.
func (s *Service) Login(email, password string) (Session, error) {
	u, err := s.CheckPassword(email, password)
	if err != nil {
		return Session{}, err
	}
	return s.OpenSession(u)
}

// CheckPassword verifies email and password under the lockout rule and
// returns the account. Each attempt is counted before the password is
// checked, in the same transaction that checks the lock, so parallel
// guesses cannot slip in between the count and the check.
func (s *Service) CheckPassword(email, password string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if err := s.reserveAttempt(email); err != nil {
		return User{}, err
	}
	var u User
	var hash sql.NullString
	err := s.db.QueryRow(`SELECT id, email, full_name, password_hash FROM users WHERE email = ?`, email).
		Scan(&u.ID, &u.Email, &u.FullName, &hash)
	if err != nil && err != sql.ErrNoRows {
		return User{}, err
	}
	if err == sql.ErrNoRows || !hash.Valid {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return User{}, s.failed(email)
	}
	ok, upgrade := checkPassword(hash.String, password)
	if !ok {
		return User{}, s.failed(email)
	}
	s.db.Exec(`DELETE FROM login_failures WHERE email = ?`, email)
	if upgrade {
		if h, err := hashPassword(password, s.bcrypt); err == nil {
			s.db.Exec(`UPDATE users SET password_hash = ? WHERE id = ?`, h, u.ID)
		}
	}
	return u, nil
}

// Lockout policy: MaxFailures failed logins within FailureWindow lock the
// email for LockDuration after the last one.
const (
	MaxFailures   = 5
	FailureWindow = 15 * time.Minute
	LockDuration  = 15 * time.Minute
)

// reserveAttempt counts an attempt as a failure up front (a success
// removes it) unless the email is locked, atomically: the transaction is
// IMMEDIATE (store's _txlock), so concurrent attempts queue here.
func (s *Service) reserveAttempt(email string) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.lockedIn(tx, email) {
		return ErrLocked
	}
	now := s.Now()
	if _, err := tx.Exec(`INSERT INTO login_failures(email, at) VALUES(?,?)`, email, now.Format(store.TimeFormat)); err != nil {
		return err
	}
	// Older failures can no longer lock anything: keep the table small.
	tx.Exec(`DELETE FROM login_failures WHERE email = ? AND at < ?`, email, now.Add(-FailureWindow-LockDuration).Format(store.TimeFormat))
	return tx.Commit()
}

// failed returns the error to show after a wrong password (the attempt is
// already counted).
func (s *Service) failed(email string) error {
	if s.lockedIn(s.db, email) {
		return ErrLocked
	}
	return ErrBadCredentials
}

type querier interface {
	Query(query string, args ...any) (*sql.Rows, error)
}

// lockedIn reports whether the last MaxFailures failures of email fall
// within FailureWindow and the last one is less than LockDuration ago.
func (s *Service) lockedIn(q querier, email string) bool {
	rows, err := q.Query(`SELECT at FROM login_failures WHERE email = ? ORDER BY at DESC LIMIT ?`, email, MaxFailures)
	if err != nil {
		return false
	}
	defer rows.Close()
	var times []time.Time
	for rows.Next() {
		var at string
		rows.Scan(&at)
		t, _ := time.Parse(store.TimeFormat, at)
		times = append(times, t)
	}
	if len(times) < MaxFailures {
		return false
	}
	newest, oldest := times[0], times[len(times)-1]
	return newest.Sub(oldest) <= FailureWindow && s.Now().Sub(newest) < LockDuration
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not-a-real-password"), bcrypt.DefaultCost)

// UserByEmail looks an account up by (normalized) email.
func (s *Service) UserByEmail(email string) (User, error) {
	var u User
	err := s.db.QueryRow(`SELECT id, email, full_name FROM users WHERE email = ?`,
		strings.ToLower(strings.TrimSpace(email))).Scan(&u.ID, &u.Email, &u.FullName)
	return u, err
}

type claims struct {
	jwt.RegisteredClaims
	Email string `json:"email"`
}

// OpenSession records a new session for u and signs its token.
func (s *Service) OpenSession(u User) (Session, error) {
	now := s.Now()
	sid := randomHex(16)
	if _, err := s.db.Exec(`INSERT INTO sessions(id, user_id, created_at, last_seen) VALUES(?,?,?,?)`,
		sid, u.ID, now.Format(store.TimeFormat), now.Format(store.TimeFormat)); err != nil {
		return Session{}, err
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims{
		RegisteredClaims: jwt.RegisteredClaims{
			ID:        sid,
			Subject:   fmt.Sprint(u.ID),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(s.cfg.TokenTTL)),
			Issuer:    "lead-navigator",
		},
		Email: u.Email,
	})
	signed, err := tok.SignedString(s.key)
	if err != nil {
		return Session{}, err
	}
	return Session{Token: signed, User: u}, nil
}

// Verify checks a token's signature, algorithm, expiry, revocation and idle
// timeout, and refreshes the session's last-seen time.
func (s *Service) Verify(token string) (Identity, error) {
	if token == "" {
		return Identity{}, ErrUnauthenticated
	}
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return s.key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(s.Now), jwt.WithIssuer("lead-navigator"),
		jwt.WithExpirationRequired())
	if err != nil {
		return Identity{}, ErrUnauthenticated
	}
	var id Identity
	var lastSeen string
	var revoked sql.NullString
	err = s.db.QueryRow(`SELECT u.id, u.email, u.full_name, s.last_seen, s.revoked_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, c.ID).
		Scan(&id.ID, &id.Email, &id.FullName, &lastSeen, &revoked)
	if err != nil || revoked.Valid || fmt.Sprint(id.ID) != c.Subject {
		return Identity{}, ErrUnauthenticated
	}
	now := s.Now()
	if idle := time.Duration(s.idle.Load()); idle > 0 {
		seen, _ := time.Parse(store.TimeFormat, lastSeen)
		if now.Sub(seen) > idle {
			s.revoke(c.ID)
			return Identity{}, ErrUnauthenticated
		}
	}
	s.db.Exec(`UPDATE sessions SET last_seen = ? WHERE id = ?`, now.Format(store.TimeFormat), c.ID)
	id.SessionID = c.ID
	return id, nil
}

// Logout revokes the session behind token; the token is refused afterwards.
func (s *Service) Logout(token string) error {
	id, err := s.Verify(token)
	if err != nil {
		return err
	}
	return s.revoke(id.SessionID)
}

func (s *Service) revoke(sessionID string) error {
	_, err := s.db.Exec(`UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`,
		s.Now().Format(store.TimeFormat), sessionID)
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

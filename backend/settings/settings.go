// Package settings keeps the app-wide preferences (SMTP server, hosted auth
// endpoint, idle session timeout) in SQLite. The SMTP password is a secret
// and lives in the keychain (keychain.SMTPPassword), never here.
package settings

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"leadnavigator/backend/mail"
	"leadnavigator/backend/store"
)

// Settings as shown and edited on the Settings page.
type Settings struct {
	SMTP               mail.Config `json:"smtp"`
	SMTPPasswordSet    bool        `json:"smtpPasswordSet"`    // read-only: a password is in the keychain
	HostedAuthURL      string      `json:"hostedAuthUrl"`      // "" = accounts are local to this install
	IdleTimeoutMinutes int         `json:"idleTimeoutMinutes"` // 0 = no idle timeout
	KeychainBackend    string      `json:"keychainBackend"`    // read-only: where secrets are kept
	PublicURL          string      `json:"publicUrl"`          // optional base for links in emails (serve mode)
	CanEdit            bool        `json:"canEdit"`            // read-only: the caller may save settings
}

var migrations = []string{
	`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
}

// Store reads and writes settings.
type Store struct{ db *sql.DB }

// New migrates the settings table.
func New(db *sql.DB) (*Store, error) {
	if err := store.Migrate(db, "settings", migrations); err != nil {
		return nil, err
	}
	return &Store{db: db}, nil
}

const key = "app"

// Load returns the saved settings (defaults when none are saved).
func (s *Store) Load() (Settings, error) {
	var raw string
	err := s.db.QueryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{SMTP: mail.Config{Port: 587, StartTLS: true}}, nil
	}
	if err != nil {
		return Settings{}, err
	}
	var out Settings
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return Settings{}, fmt.Errorf("saved settings are unreadable: %w", err)
	}
	return out, nil
}

// Save validates and stores v (read-only fields are ignored).
func (s *Store) Save(v Settings) (Settings, error) {
	v.SMTPPasswordSet, v.KeychainBackend, v.CanEdit = false, "", false
	v.SMTP.Password = ""
	if err := Validate(&v); err != nil {
		return Settings{}, err
	}
	raw, _ := json.Marshal(v)
	_, err := s.db.Exec(`INSERT INTO settings(key, value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, string(raw))
	return v, err
}

// InstallID identifies this install (not a secret): hosted invitations
// name a workspace as "<install id>:<workspace id>".
func (s *Store) InstallID() (string, error) {
	b := make([]byte, 9)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	s.db.Exec(`INSERT INTO settings(key, value) VALUES('install_id', ?) ON CONFLICT(key) DO NOTHING`, hex.EncodeToString(b))
	var id string
	err := s.db.QueryRow(`SELECT value FROM settings WHERE key = 'install_id'`).Scan(&id)
	return id, err
}

// Validate trims v and checks every field, with a message naming the field.
func Validate(v *Settings) error {
	v.SMTP.Host = strings.TrimSpace(v.SMTP.Host)
	v.SMTP.From = strings.TrimSpace(v.SMTP.From)
	v.SMTP.Username = strings.TrimSpace(v.SMTP.Username)
	v.HostedAuthURL = strings.TrimRight(strings.TrimSpace(v.HostedAuthURL), "/")
	v.PublicURL = strings.TrimRight(strings.TrimSpace(v.PublicURL), "/")
	if v.SMTP.Port < 0 || v.SMTP.Port > 65535 {
		return fmt.Errorf("SMTP port %d is not between 1 and 65535", v.SMTP.Port)
	}
	if v.SMTP.Host != "" && v.SMTP.From == "" {
		return errors.New("SMTP: the From address is required when a server is set")
	}
	if v.IdleTimeoutMinutes < 0 || v.IdleTimeoutMinutes > 60*24*30 {
		return fmt.Errorf("idle timeout must be between 0 (off) and 43200 minutes, got %d", v.IdleTimeoutMinutes)
	}
	if v.HostedAuthURL != "" {
		if err := checkURL(v.HostedAuthURL, true); err != nil {
			return fmt.Errorf("hosted auth URL: %w", err)
		}
	}
	if v.PublicURL != "" {
		if err := checkURL(v.PublicURL, false); err != nil {
			return fmt.Errorf("public URL: %w", err)
		}
	}
	return nil
}

// checkURL accepts https, and http only to loopback (tests, a local server):
// tokens and passwords must not cross a network in clear text.
func checkURL(raw string, strict bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a URL", raw)
	}
	host := u.Hostname()
	loopback := host == "127.0.0.1" || host == "localhost" || host == "::1"
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && (loopback || !strict):
		return nil
	}
	return fmt.Errorf("%q must use https (http is allowed only to localhost)", raw)
}

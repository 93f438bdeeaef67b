package api

import (
	"errors"
	"fmt"
	"log"
	"strconv"
	"strings"
	"sync"
	"time"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/hosted"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/mail"
	"leadnavigator/backend/settings"
	"leadnavigator/backend/store"
)

// wireSettings opens the settings store and applies the saved idle timeout.
func (a *API) wireSettings() error {
	var err error
	if a.settings, err = settings.New(a.db); err != nil {
		return err
	}
	s, err := a.settings.Load()
	if err != nil {
		return err
	}
	a.auth.SetIdleTimeout(time.Duration(s.IdleTimeoutMinutes) * time.Minute)
	return store.Migrate(a.db, "api-hosted-link", hostedLinkMigration)
}

// ErrNotAdmin refuses settings changes to everyone but the install's
// administrator. Settings decide where login links are mailed and which
// server vouches for logins, so any account changing them could take over
// the others.
var ErrNotAdmin = errors.New("only the administrator of this installation (the first account created on it) can change installation-wide settings")

// isAdmin: the first account created on this install administers it.
func (a *API) isAdmin(id auth.Identity) bool {
	var first int64
	a.db.QueryRow(`SELECT MIN(id) FROM users`).Scan(&first)
	return id.ID == first
}

// admin verifies the token and that its user administers the install
// (installation-wide changes: settings, the Gemini key).
func (a *API) admin(token string) (auth.Identity, error) {
	id, err := a.caller(token)
	if err != nil {
		return id, err
	}
	if !a.isAdmin(id) {
		a.recordDenied(id, 0)
		return id, ErrNotAdmin
	}
	return id, nil
}

// GetSettings returns the app settings (any logged-in user; the SMTP
// password itself is never returned, only whether one is set).
func (a *API) GetSettings(token string) (settings.Settings, error) {
	id, err := a.caller(token)
	if err != nil {
		return settings.Settings{}, err
	}
	return a.loadSettings(id)
}

// SaveSettings stores the settings. smtpPassword "" keeps the saved
// password; "-" removes it; anything else replaces it in the keychain.
func (a *API) SaveSettings(token string, s settings.Settings, smtpPassword string) (settings.Settings, error) {
	id, err := a.admin(token)
	if err != nil {
		return settings.Settings{}, err
	}
	saved, err := a.settings.Save(s)
	if err != nil {
		return settings.Settings{}, err
	}
	switch smtpPassword {
	case "":
	case "-":
		err = a.keys.Delete(keychain.SMTPPassword)
	default:
		err = a.keys.Set(keychain.SMTPPassword, smtpPassword)
	}
	if err != nil {
		return settings.Settings{}, fmt.Errorf("store the SMTP password in %s: %w", a.keys.Backend(), err)
	}
	a.auth.SetIdleTimeout(time.Duration(saved.IdleTimeoutMinutes) * time.Minute)
	a.record(id, 0, "settings.changed", map[string]any{
		"smtpHost": saved.SMTP.Host, "smtpPort": saved.SMTP.Port, "startTLS": saved.SMTP.StartTLS,
		"hostedAuthUrl": saved.HostedAuthURL, "idleTimeoutMinutes": saved.IdleTimeoutMinutes,
		"smtpPasswordChanged": smtpPassword != "",
	})
	return a.loadSettings(id)
}

func (a *API) loadSettings(id auth.Identity) (settings.Settings, error) {
	s, err := a.settings.Load()
	if err != nil {
		return s, err
	}
	s.CanEdit = a.isAdmin(id)
	_, perr := a.keys.Get(keychain.SMTPPassword)
	s.SMTPPasswordSet = perr == nil
	s.KeychainBackend = a.keys.Backend()
	return s, nil
}

// smtpConfig is the SMTP account with its password from the keychain.
func (a *API) smtpConfig() (mail.Config, error) {
	s, err := a.settings.Load()
	if err != nil {
		return mail.Config{}, err
	}
	cfg := s.SMTP
	if !cfg.Configured() {
		return cfg, mail.ErrNotConfigured
	}
	pw, err := a.keys.Get(keychain.SMTPPassword)
	if err != nil && !errors.Is(err, keychain.ErrNotFound) {
		return cfg, fmt.Errorf("read the SMTP password from %s: %w", a.keys.Backend(), err)
	}
	cfg.Password = pw
	return cfg, nil
}

// sendMail delivers m with the configured SMTP server.
func (a *API) sendMail(m mail.Message) error {
	cfg, err := a.smtpConfig()
	if err != nil {
		return err
	}
	if err := mail.Send(cfg, m); err != nil {
		log.Printf("email %q not sent: %v", m.Subject, err) // recipient and body omitted: they hold tokens
		return err
	}
	return nil
}

// linkBase is where links in emails point: the app's URL scheme on the
// desktop, or the page's hash route on a served instance's public URL
// (e.g. https://host/#/magic?token=..., read by the login page).
func (a *API) linkBase() string {
	if s, err := a.settings.Load(); err == nil && s.PublicURL != "" {
		return s.PublicURL + "/#/"
	}
	return "leadnavigator://"
}

// hostedSessions maps a local session id to the hosted session token it
// was opened with. Memory only, because the token is a secret: after a
// restart the user logs in again to use shared invitations.
var hostedSessions sync.Map

// hostedClient returns the hosted auth client, or nil when accounts are local.
func (a *API) hostedClient() *hosted.Client {
	s, err := a.settings.Load()
	if err != nil || s.HostedAuthURL == "" {
		return nil
	}
	return hosted.NewClient(s.HostedAuthURL)
}

// adoptHosted turns a session of the hosted server into a local one for
// the same email. A new email gets a local account bound to the server; an
// existing account of this install is linked only when the login proved
// control of it (auth.AdoptHosted), so registering someone's email on the
// server does not hand over their account here.
func (a *API) adoptHosted(c *hosted.Client, hs auth.Session, proof auth.HostedProof) (auth.Session, error) {
	if norm, _ := auth.NormalizeEmail(hs.User.Email); norm == LocalUserEmail {
		return auth.Session{}, auth.ErrHostedLinkNeedsProof
	}
	u, err := a.auth.AdoptHosted(hs.User.Email, hs.User.FullName, c.BaseURL, proof)
	if err != nil {
		return auth.Session{}, err
	}
	s, err := a.auth.OpenSession(u)
	if err != nil {
		return s, err
	}
	id, err := a.auth.Verify(s.Token)
	if err != nil {
		return auth.Session{}, err
	}
	hostedSessions.Store(id.SessionID, hs.Token)
	return s, nil
}

// hostedLinkMigration binds the passwordless accounts that earlier
// versions created for logins through the configured hosted server (they
// have no other way to log in) to that server, once.
var hostedLinkMigration = []string{
	`UPDATE users SET hosted_server = (SELECT json_extract(value, '$.hostedAuthUrl') FROM settings WHERE key = 'app')
	WHERE password_hash IS NULL AND hosted_server IS NULL AND email <> '` + LocalUserEmail + `'
	AND COALESCE((SELECT json_extract(value, '$.hostedAuthUrl') FROM settings WHERE key = 'app'), '') <> ''`,
}

var errNoHostedSession = errors.New("log in again to use invitations from the shared account server (this session was restored without it)")

func hostedToken(id auth.Identity) (string, error) {
	v, ok := hostedSessions.Load(id.SessionID)
	if !ok {
		return "", errNoHostedSession
	}
	return v.(string), nil
}

// workspaceRef names a local workspace for the hosted server.
func (a *API) workspaceRef(workspaceID int64) (string, error) {
	install, err := a.settings.InstallID()
	return fmt.Sprintf("%s:%d", install, workspaceID), err
}

// localWorkspace returns the id of a workspace of this install named by
// ref, or 0 when ref belongs to another install.
func (a *API) localWorkspace(ref string) int64 {
	install, err := a.settings.InstallID()
	rest, ok := strings.CutPrefix(ref, install+":")
	if err != nil || !ok {
		return 0
	}
	id, _ := strconv.ParseInt(rest, 10, 64)
	return id
}

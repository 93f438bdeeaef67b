package api

import (
	"errors"
	"log"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/mail"
)

// Register creates an account and logs it in. Once email works on this
// install (and for every account after the first), the account is only
// created when the link or code mailed to the address comes back: the
// answer is then "pending", the same whether the email already has an
// account or not (its owner gets a login link instead), so registering
// neither reveals accounts nor claims someone else's address.
func (a *API) Register(email, password, fullName string) (auth.Session, error) {
	if a.hostedClient() == nil && a.confirmsEmail() {
		return a.registerByEmail(email, password, fullName)
	}
	s, err := a.registerWhere(email, password, fullName)
	if err != nil || s.Pending {
		return s, err
	}
	a.record(auth.Identity{User: s.User}, 0, "register", map[string]any{"email": s.User.Email})
	return s, nil
}

// confirmsEmail: registrations wait for their email when mail is set up
// and the install has its administrator already.
func (a *API) confirmsEmail() bool {
	if _, err := a.smtpConfig(); err != nil {
		return false
	}
	var users int
	a.db.QueryRow(`SELECT COUNT(*) FROM users`).Scan(&users)
	return users > 0
}

func (a *API) registerByEmail(email, password, fullName string) (auth.Session, error) {
	reg, err := a.auth.StartRegistration(email, password, fullName)
	if err != nil {
		return auth.Session{}, err // about what was typed (format, length), not about accounts
	}
	switch {
	case reg.Token != "":
		go a.sendMail(mail.ConfirmRegistration(a.linkBase(), reg.Email, reg.Token))
	case reg.Existing.ID != 0:
		if tok, _, ok, err := a.auth.CreateMagicLink(reg.Email); err == nil && ok {
			go a.sendMail(mail.AccountExists(a.linkBase(), reg.Email, tok))
		}
	}
	a.record(auth.Identity{}, 0, "register.requested", map[string]any{"email": reg.Email})
	return auth.Session{Pending: true, User: auth.User{Email: reg.Email}}, nil
}

// registerWhere registers on the hosted server when one is set, else locally.
func (a *API) registerWhere(email, password, fullName string) (auth.Session, error) {
	c := a.hostedClient()
	if c == nil {
		return a.auth.Register(email, password, fullName)
	}
	hs, err := c.Register(email, password, fullName)
	if err != nil {
		return hs, err
	}
	return a.adoptHosted(c, hs, auth.HostedProof{Password: password})
}

// Login logs in with email and password (on the hosted server when one is
// set). Failures are audited with the email typed (never the password) and
// the same generic error.
func (a *API) Login(email, password string) (auth.Session, error) {
	s, err := a.loginWhere(email, password)
	if errors.Is(err, auth.ErrBadCredentials) || errors.Is(err, auth.ErrLocked) {
		a.recordFailedLogin(email, errors.Is(err, auth.ErrLocked))
	}
	if err != nil {
		return auth.Session{}, err
	}
	a.record(auth.Identity{User: s.User}, 0, "login", map[string]any{"method": "password"})
	return s, nil
}

// loginWhere checks the password on the hosted server when one is set, else locally.
func (a *API) loginWhere(email, password string) (auth.Session, error) {
	c := a.hostedClient()
	if c == nil {
		return a.auth.Login(email, password)
	}
	hs, err := c.Login(email, password)
	if err != nil {
		return hs, err
	}
	return a.adoptHosted(c, hs, auth.HostedProof{Password: password})
}

func (a *API) recordFailedLogin(email string, locked bool) {
	var who auth.Identity
	if u, err := a.auth.UserByEmail(email); err == nil {
		who.User = u
	}
	if norm, err := auth.NormalizeEmail(email); err == nil {
		email = norm
	}
	a.record(who, 0, "login.failed", map[string]any{"email": email, "locked": locked})
}

// RequestMagicLink emails a one-time login link to email if it has an
// account. It answers the same for unknown emails (no enumeration) and
// sends in the background, so neither the timing nor an SMTP failure
// tells whether the account exists. Only a missing SMTP setup is reported,
// which does not depend on the email.
func (a *API) RequestMagicLink(email string) error {
	if _, err := auth.NormalizeEmail(email); err != nil {
		return err
	}
	if c := a.hostedClient(); c != nil {
		norm, _ := auth.NormalizeEmail(email)
		a.record(auth.Identity{}, 0, "magic_link.requested", map[string]any{"email": norm, "via": "hosted"})
		return c.RequestMagicLink(email)
	}
	if _, err := a.smtpConfig(); err != nil {
		return err
	}
	token, u, ok, err := a.auth.CreateMagicLink(email)
	if err != nil {
		log.Printf("magic link: %v", err)
		return nil
	}
	norm, _ := auth.NormalizeEmail(email)
	a.record(auth.Identity{User: u}, 0, "magic_link.requested", map[string]any{"email": norm})
	if ok {
		go a.sendMail(mail.MagicLink(a.linkBase(), u.Email, token))
	}
	return nil
}

// LoginWithMagicLink spends a magic-link token (from the link or pasted).
func (a *API) LoginWithMagicLink(token string) (auth.Session, error) {
	var s auth.Session
	var err error
	if c := a.hostedClient(); c != nil {
		if s, err = c.ConsumeMagicLink(token); err == nil {
			s, err = a.adoptHosted(c, s, auth.HostedProof{EmailProven: true})
		}
	} else {
		s, err = a.auth.ConsumeMagicLink(token)
	}
	if err != nil {
		return s, err
	}
	if s.NewAccount {
		a.record(auth.Identity{User: s.User}, 0, "register", map[string]any{"email": s.User.Email, "emailConfirmed": true})
	}
	a.record(auth.Identity{User: s.User}, 0, "magic_link.used", nil)
	a.record(auth.Identity{User: s.User}, 0, "login", map[string]any{"method": "magic_link"})
	return s, nil
}

// Logout revokes the session.
func (a *API) Logout(token string) error {
	id, err := a.caller(token)
	if err != nil {
		return err
	}
	if err := a.auth.Logout(token); err != nil {
		return err
	}
	// The shared server's session ends too, so its bearer token is dead
	// even if it leaked.
	if bearer, err := hostedToken(id); err == nil {
		hostedSessions.Delete(id.SessionID)
		if c := a.hostedClient(); c != nil {
			if err := c.Logout(bearer); err != nil {
				log.Printf("hosted logout: %v", err)
			}
		}
	}
	a.record(id, 0, "logout", nil)
	return nil
}

// Me returns the logged-in user.
func (a *API) Me(token string) (auth.User, error) {
	id, err := a.caller(token)
	return id.User, err
}

// RememberSession keeps the token in the OS keychain so the next start of
// the app is logged in. It must be the caller's own valid token.
func (a *API) RememberSession(token string) error {
	if _, err := a.caller(token); err != nil {
		return err
	}
	return a.keys.Set(keychain.SessionToken, token)
}

// RestoreSession returns the remembered session if it is still valid, or
// an empty session (not an error) when there is none.
func (a *API) RestoreSession() (auth.Session, error) {
	tok, err := a.keys.Get(keychain.SessionToken)
	if err != nil {
		return auth.Session{}, nil
	}
	id, err := a.caller(tok)
	if err != nil {
		a.keys.Delete(keychain.SessionToken)
		return auth.Session{}, nil
	}
	return auth.Session{Token: tok, User: id.User}, nil
}

// ForgetSession removes the remembered token (used at logout).
func (a *API) ForgetSession(token string) error {
	if _, err := a.caller(token); err != nil {
		return err
	}
	return a.keys.Delete(keychain.SessionToken)
}

package api

import (
	"leadnavigator/backend/auth"
	"leadnavigator/backend/keychain"
)

// Register creates an account and logs it in.
func (a *API) Register(email, password, fullName string) (auth.Session, error) {
	return a.auth.Register(email, password, fullName)
}

// Login logs in with email and password.
func (a *API) Login(email, password string) (auth.Session, error) {
	return a.auth.Login(email, password)
}

// Logout revokes the session.
func (a *API) Logout(token string) error {
	return a.auth.Logout(token)
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

package auth

import (
	"database/sql"
	"errors"
	"strings"

	"leadnavigator/backend/store"
)

// EnsurePasswordlessUser returns the account with email, creating it
// without a password when it does not exist. Such an account cannot log
// in with a password (Login refuses a NULL hash); headless tools such as
// `lead-navigator import` act as it.
func (s *Service) EnsurePasswordlessUser(email, fullName string) (User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	u, err := s.UserByEmail(email)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return u, err
	}
	_, err = s.db.Exec(`INSERT INTO users(email, password_hash, full_name, created_at) VALUES(?, NULL, ?, ?)
		ON CONFLICT(email) DO NOTHING`, email, strings.TrimSpace(fullName), s.Now().Format(store.TimeFormat))
	if err != nil {
		return User{}, err
	}
	return s.UserByEmail(email)
}

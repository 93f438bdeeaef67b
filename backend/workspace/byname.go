package workspace

import (
	"database/sql"
	"errors"
	"strings"
)

// ErrNoSuchWorkspace is returned by FindByName when no workspace has the name.
var ErrNoSuchWorkspace = errors.New("no workspace with this name")

// FindByName returns the id of the oldest workspace named name (case
// insensitive) among all workspaces, for headless tools that have no
// logged-in user to scope the search to.
func (s *Service) FindByName(name string) (int64, error) {
	var id int64
	err := s.db.QueryRow(`SELECT id FROM workspaces WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1`,
		strings.TrimSpace(name)).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, ErrNoSuchWorkspace
	}
	return id, err
}

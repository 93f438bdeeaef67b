// Package workspace owns workspaces, their members and the roles that decide
// what each member may do.
package workspace

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"leadnavigator/backend/store"
)

// Role is a member's role in one workspace.
type Role string

const (
	Owner   Role = "owner"
	Analyst Role = "analyst"
	Viewer  Role = "viewer"
)

// Permission is something a bound method needs the caller to be allowed.
type Permission int

const (
	// View: read dashboards, datasets, previews, saved views.
	View Permission = iota
	// Analyze: upload, map columns, save views, ask the AI, export.
	Analyze
	// Manage: members, invitations, rename/delete workspace, audit trail.
	Manage
)

// Allows reports whether role r grants permission p.
func (r Role) Allows(p Permission) bool {
	switch r {
	case Owner:
		return true
	case Analyst:
		return p == View || p == Analyze
	case Viewer:
		return p == View
	}
	return false
}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r == Owner || r == Analyst || r == Viewer }

// ErrForbidden is returned when the caller is not a member of the workspace
// or their role does not allow the action. It does not say which, so a
// non-member cannot probe which workspace ids exist.
var ErrForbidden = errors.New("you do not have access to do this in this workspace")

// Workspace as listed for a user.
type Workspace struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Role      Role   `json:"role"`
	CreatedAt string `json:"createdAt"`
	// OwnerName and OwnerEmail name the workspace's first Owner (their
	// full name, else their email), so two workspaces of the same name
	// can be told apart.
	OwnerName  string `json:"ownerName"`
	OwnerEmail string `json:"ownerEmail"`
}

// Member of a workspace.
type Member struct {
	UserID   int64  `json:"userId"`
	Email    string `json:"email"`
	FullName string `json:"fullName"`
	Role     Role   `json:"role"`
}

// Service implements workspaces, membership and invitations.
type Service struct {
	db  *sql.DB
	Now func() time.Time // injectable clock for tests
}

var migrations = []string{
	`CREATE TABLE workspaces (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		created_by INTEGER NOT NULL REFERENCES users(id),
		created_at TEXT NOT NULL
	);
	CREATE TABLE members (
		workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
		user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		role TEXT NOT NULL CHECK (role IN ('owner','analyst','viewer')),
		joined_at TEXT NOT NULL,
		PRIMARY KEY (workspace_id, user_id)
	);`,
	`CREATE TABLE invitations (
		id INTEGER PRIMARY KEY,
		workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
		email TEXT NOT NULL,
		role TEXT NOT NULL CHECK (role IN ('owner','analyst','viewer')),
		token_hash TEXT NOT NULL UNIQUE,
		invited_by INTEGER NOT NULL REFERENCES users(id),
		created_at TEXT NOT NULL,
		expires_at TEXT NOT NULL,
		status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','rejected','revoked')),
		responded_at TEXT
	);
	CREATE INDEX invitations_email ON invitations(email, status);`,
	`CREATE TABLE applied_remote_invitations (
		remote_id TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL
	);`,
	// The invitations an Owner of this install created on a hosted auth
	// server: only these are ever applied, with the workspace, email and
	// role recorded here, whatever the server says.
	`CREATE TABLE hosted_invitations_sent (
		remote_id TEXT PRIMARY KEY,
		workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
		email TEXT NOT NULL,
		role TEXT NOT NULL CHECK (role IN ('owner','analyst','viewer')),
		invited_by INTEGER NOT NULL REFERENCES users(id),
		created_at TEXT NOT NULL
	);`,
}

// New migrates the workspace tables (the auth tables must exist first).
func New(db *sql.DB) (*Service, error) {
	if err := store.Migrate(db, "workspace", migrations); err != nil {
		return nil, err
	}
	return &Service{db: db, Now: store.Now}, nil
}

// RoleOf returns the user's role in the workspace, or ErrForbidden.
func (s *Service) RoleOf(userID, workspaceID int64) (Role, error) {
	var r Role
	err := s.db.QueryRow(`SELECT role FROM members WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID).Scan(&r)
	if err == sql.ErrNoRows {
		return "", ErrForbidden
	}
	return r, err
}

// Require returns the user's role if it grants p, else ErrForbidden.
func (s *Service) Require(userID, workspaceID int64, p Permission) (Role, error) {
	r, err := s.RoleOf(userID, workspaceID)
	if err != nil {
		return "", err
	}
	if !r.Allows(p) {
		return r, ErrForbidden
	}
	return r, nil
}

func cleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", errors.New("workspace name cannot be empty")
	}
	if len([]rune(name)) > 100 {
		return "", errors.New("workspace name must be at most 100 characters")
	}
	return name, nil
}

// Create makes a workspace owned by userID.
func (s *Service) Create(userID int64, name string) (Workspace, error) {
	name, err := cleanName(name)
	if err != nil {
		return Workspace{}, err
	}
	now := s.Now().Format(store.TimeFormat)
	tx, err := s.db.Begin()
	if err != nil {
		return Workspace{}, err
	}
	defer tx.Rollback()
	res, err := tx.Exec(`INSERT INTO workspaces(name, created_by, created_at) VALUES(?,?,?)`, name, userID, now)
	if err != nil {
		return Workspace{}, err
	}
	id, _ := res.LastInsertId()
	if _, err := tx.Exec(`INSERT INTO members(workspace_id, user_id, role, joined_at) VALUES(?,?,?,?)`, id, userID, Owner, now); err != nil {
		return Workspace{}, err
	}
	return Workspace{ID: id, Name: name, Role: Owner, CreatedAt: now}, tx.Commit()
}

// workspaceSelect lists workspaces with the caller's role and the first Owner.
const workspaceSelect = `SELECT w.id, w.name, m.role, w.created_at,
		COALESCE((SELECT CASE WHEN u.full_name <> '' THEN u.full_name ELSE u.email END FROM members o JOIN users u ON u.id = o.user_id
			WHERE o.workspace_id = w.id AND o.role = 'owner' ORDER BY o.joined_at, o.user_id LIMIT 1), ''),
		COALESCE((SELECT u.email FROM members o JOIN users u ON u.id = o.user_id
			WHERE o.workspace_id = w.id AND o.role = 'owner' ORDER BY o.joined_at, o.user_id LIMIT 1), '')
	FROM workspaces w JOIN members m ON m.workspace_id = w.id `

// List returns the workspaces userID belongs to.
func (s *Service) List(userID int64) ([]Workspace, error) {
	return store.Collect(s.db, scanWorkspace, workspaceSelect+`WHERE m.user_id = ? ORDER BY w.name COLLATE NOCASE, w.id`, userID)
}

func scanWorkspace(row store.Scanner) (Workspace, error) {
	var w Workspace
	return w, row.Scan(&w.ID, &w.Name, &w.Role, &w.CreatedAt, &w.OwnerName, &w.OwnerEmail)
}

// Get returns one workspace as seen by userID.
func (s *Service) Get(userID, workspaceID int64) (Workspace, error) {
	w, err := scanWorkspace(s.db.QueryRow(workspaceSelect+`WHERE m.user_id = ? AND w.id = ?`, userID, workspaceID))
	if err == sql.ErrNoRows {
		return w, ErrForbidden
	}
	return w, err
}

// Rename changes a workspace's name.
func (s *Service) Rename(workspaceID int64, name string) error {
	name, err := cleanName(name)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(`UPDATE workspaces SET name = ? WHERE id = ?`, name, workspaceID)
	return err
}

// Delete removes a workspace and (by cascade) its memberships and metadata.
// The caller removes the analytics files.
func (s *Service) Delete(workspaceID int64) error {
	_, err := s.db.Exec(`DELETE FROM workspaces WHERE id = ?`, workspaceID)
	return err
}

// Members lists a workspace's members.
func (s *Service) Members(workspaceID int64) ([]Member, error) {
	return store.Collect(s.db, func(row store.Scanner) (Member, error) {
		var m Member
		return m, row.Scan(&m.UserID, &m.Email, &m.FullName, &m.Role)
	}, `SELECT u.id, u.email, u.full_name, m.role FROM members m JOIN users u ON u.id = m.user_id
		WHERE m.workspace_id = ? ORDER BY u.email`, workspaceID)
}

// AddMember adds (or re-roles) a user in a workspace.
func (s *Service) AddMember(workspaceID, userID int64, role Role) error {
	if !role.Valid() {
		return fmt.Errorf("unknown role %q", role)
	}
	_, err := s.db.Exec(`INSERT INTO members(workspace_id, user_id, role, joined_at) VALUES(?,?,?,?)
		ON CONFLICT(workspace_id, user_id) DO UPDATE SET role = excluded.role`,
		workspaceID, userID, role, s.Now().Format(store.TimeFormat))
	return err
}

// ErrLastOwner protects a workspace from ending up without an Owner.
var ErrLastOwner = errors.New("a workspace needs at least one Owner: make another member Owner first")

// ErrNotMember is returned for a user id that is not in the workspace.
var ErrNotMember = errors.New("this user is not a member of the workspace")

// SetRole changes a member's role; the last Owner cannot be demoted.
func (s *Service) SetRole(workspaceID, userID int64, role Role) error {
	if !role.Valid() {
		return fmt.Errorf("unknown role %q: use owner, analyst or viewer", role)
	}
	return s.changeMember(workspaceID, userID, role != Owner, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE members SET role = ? WHERE workspace_id = ? AND user_id = ?`, role, workspaceID, userID)
		return err
	})
}

// RemoveMember removes a member; the last Owner cannot be removed.
func (s *Service) RemoveMember(workspaceID, userID int64) error {
	return s.changeMember(workspaceID, userID, true, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM members WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID)
		return err
	})
}

// changeMember runs change in a transaction after checking that userID is
// a member and, when losesOwner, that another Owner remains.
func (s *Service) changeMember(workspaceID, userID int64, losesOwner bool, change func(*sql.Tx) error) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var current Role
	err = tx.QueryRow(`SELECT role FROM members WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID).Scan(&current)
	if err == sql.ErrNoRows {
		return ErrNotMember
	}
	if err != nil {
		return err
	}
	if current == Owner && losesOwner {
		var owners int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM members WHERE workspace_id = ? AND role = 'owner'`, workspaceID).Scan(&owners); err != nil {
			return err
		}
		if owners <= 1 {
			return ErrLastOwner
		}
	}
	if err := change(tx); err != nil {
		return err
	}
	return tx.Commit()
}

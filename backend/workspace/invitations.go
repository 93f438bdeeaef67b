package workspace

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/store"
)

// InvitationTTL is how long an invitation can be accepted.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation to join a workspace, as shown to the Owner and the invitee.
type Invitation struct {
	ID            int64  `json:"id"`
	WorkspaceID   int64  `json:"workspaceId"`
	WorkspaceName string `json:"workspaceName"`
	Email         string `json:"email"`
	Role          Role   `json:"role"`
	InvitedBy     string `json:"invitedBy"` // inviter's email
	CreatedAt     string `json:"createdAt"`
	ExpiresAt     string `json:"expiresAt"`
	Status        string `json:"status"`
	// Set only in the answer to the Owner who created it, when the email
	// could not be sent: the code and link to hand over another way.
	Code   string `json:"code,omitempty"`
	Link   string `json:"link,omitempty"`
	Notice string `json:"notice,omitempty"`
}

// Errors for invitations; none of them is an authorization error: by the
// time they are returned the caller's session has been checked.
var (
	ErrInvitationNotFound = errors.New("this invitation does not exist, was withdrawn, was already answered or is not addressed to you")
	ErrInvitationExpired  = errors.New("this invitation has expired (invitations are valid for 7 days): ask the Owner to invite you again")
	ErrAlreadyMember      = errors.New("this person is already a member of the workspace")
)

// Invite creates a pending invitation and returns it with its one-time
// token (stored only as a hash). A new invitation for the same email
// replaces a pending one.
func (s *Service) Invite(workspaceID, invitedBy int64, email string, role Role) (Invitation, string, error) {
	email, err := auth.NormalizeEmail(email)
	if err != nil {
		return Invitation{}, "", err
	}
	if !role.Valid() {
		return Invitation{}, "", fmt.Errorf("unknown role %q: use owner, analyst or viewer", role)
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? AND u.email = ?`,
		workspaceID, email).Scan(&n)
	if n > 0 {
		return Invitation{}, "", fmt.Errorf("%s: %w", email, ErrAlreadyMember)
	}
	now := s.Now()
	token := auth.NewToken()
	tx, err := s.db.Begin()
	if err != nil {
		return Invitation{}, "", err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`UPDATE invitations SET status = 'revoked', responded_at = ? WHERE workspace_id = ? AND email = ? AND status = 'pending'`,
		now.Format(store.TimeFormat), workspaceID, email); err != nil {
		return Invitation{}, "", err
	}
	res, err := tx.Exec(`INSERT INTO invitations(workspace_id, email, role, token_hash, invited_by, created_at, expires_at) VALUES(?,?,?,?,?,?,?)`,
		workspaceID, email, role, auth.HashToken(token), invitedBy, now.Format(store.TimeFormat), now.Add(InvitationTTL).Format(store.TimeFormat))
	if err != nil {
		return Invitation{}, "", err
	}
	if err := tx.Commit(); err != nil {
		return Invitation{}, "", err
	}
	id, _ := res.LastInsertId()
	inv, err := s.invitation(`i.id = ?`, id)
	return inv, token, err
}

const invitationSelect = `SELECT i.id, i.workspace_id, w.name, i.email, i.role, COALESCE(u.email,''), i.created_at, i.expires_at, i.status
	FROM invitations i JOIN workspaces w ON w.id = i.workspace_id LEFT JOIN users u ON u.id = i.invited_by WHERE `

func (s *Service) invitations(where string, args ...any) ([]Invitation, error) {
	return store.Collect(s.db, func(row store.Scanner) (Invitation, error) {
		var i Invitation
		return i, row.Scan(&i.ID, &i.WorkspaceID, &i.WorkspaceName, &i.Email, &i.Role, &i.InvitedBy, &i.CreatedAt, &i.ExpiresAt, &i.Status)
	}, invitationSelect+where+` ORDER BY i.id DESC`, args...)
}

func (s *Service) invitation(where string, args ...any) (Invitation, error) {
	list, err := s.invitations(where, args...)
	if err != nil {
		return Invitation{}, err
	}
	if len(list) == 0 {
		return Invitation{}, ErrInvitationNotFound
	}
	return list[0], nil
}

// Invitation mail throttle: one address gets at most MaxInvitesPerAddress
// invitations (from anyone) and one Owner sends at most MaxInvitesPerSender
// per InviteWindow.
const (
	MaxInvitesPerAddress = 5
	MaxInvitesPerSender  = 50
	InviteWindow         = time.Hour
)

// ErrTooManyInvitations is returned over the throttle.
var ErrTooManyInvitations = errors.New("too many invitations were sent in the last hour: wait a while before inviting again")

// CheckInviteRate refuses a new invitation to email by invitedBy over the throttle.
func (s *Service) CheckInviteRate(email string, invitedBy int64) error {
	since := s.Now().Add(-InviteWindow).Format(store.TimeFormat)
	var toAddress, bySender int
	s.db.QueryRow(`SELECT COUNT(*) FROM invitations WHERE email = ? AND created_at > ?`, strings.ToLower(strings.TrimSpace(email)), since).Scan(&toAddress)
	s.db.QueryRow(`SELECT COUNT(*) FROM invitations WHERE invited_by = ? AND created_at > ?`, invitedBy, since).Scan(&bySender)
	var hostedTo, hostedBy int
	s.db.QueryRow(`SELECT COUNT(*) FROM hosted_invitations_sent WHERE email = ? AND created_at > ?`, strings.ToLower(strings.TrimSpace(email)), since).Scan(&hostedTo)
	s.db.QueryRow(`SELECT COUNT(*) FROM hosted_invitations_sent WHERE invited_by = ? AND created_at > ?`, invitedBy, since).Scan(&hostedBy)
	if toAddress+hostedTo >= MaxInvitesPerAddress || bySender+hostedBy >= MaxInvitesPerSender {
		return ErrTooManyInvitations
	}
	return nil
}

// Pending lists a workspace's open invitations (not answered, not expired).
func (s *Service) Pending(workspaceID int64) ([]Invitation, error) {
	return s.invitations(`i.workspace_id = ? AND i.status = 'pending' AND i.expires_at > ?`,
		workspaceID, s.Now().Format(store.TimeFormat))
}

// ForEmail lists the open invitations addressed to email.
func (s *Service) ForEmail(email string) ([]Invitation, error) {
	return s.invitations(`i.email = ? AND i.status = 'pending' AND i.expires_at > ?`,
		email, s.Now().Format(store.TimeFormat))
}

// InvitationIDByToken finds the invitation behind a pasted token.
func (s *Service) InvitationIDByToken(token string) (int64, error) {
	var id int64
	err := s.db.QueryRow(`SELECT id FROM invitations WHERE token_hash = ?`, auth.HashToken(token)).Scan(&id)
	if err != nil {
		return 0, ErrInvitationNotFound
	}
	return id, nil
}

// Respond accepts or rejects invitation id on behalf of the logged-in user
// (it must be addressed to their email). Accepting adds them with the
// invited role, never lowering a role they already have.
func (s *Service) Respond(id, userID int64, email string, accept bool) (Invitation, error) {
	inv, err := s.invitation(`i.id = ? AND i.email = ? AND i.status = 'pending'`, id, email)
	if err != nil {
		return inv, err
	}
	now := s.Now()
	if exp, _ := time.Parse(store.TimeFormat, inv.ExpiresAt); !now.Before(exp) {
		return inv, ErrInvitationExpired
	}
	inv.Status = "rejected"
	if accept {
		inv.Status = "accepted"
	}
	tx, err := s.db.Begin()
	if err != nil {
		return inv, err
	}
	defer tx.Rollback()
	res, err := tx.Exec(`UPDATE invitations SET status = ?, responded_at = ? WHERE id = ? AND status = 'pending'`,
		inv.Status, now.Format(store.TimeFormat), id)
	if err != nil {
		return inv, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inv, ErrInvitationNotFound
	}
	if accept {
		if _, err := tx.Exec(`INSERT INTO members(workspace_id, user_id, role, joined_at) VALUES(?,?,?,?)
			ON CONFLICT(workspace_id, user_id) DO NOTHING`, inv.WorkspaceID, userID, inv.Role, now.Format(store.TimeFormat)); err != nil {
			return inv, err
		}
	}
	return inv, tx.Commit()
}

// Revoke withdraws a pending invitation of workspaceID.
func (s *Service) Revoke(workspaceID, id int64) (Invitation, error) {
	inv, err := s.invitation(`i.id = ? AND i.workspace_id = ? AND i.status = 'pending'`, id, workspaceID)
	if err != nil {
		return inv, err
	}
	_, err = s.db.Exec(`UPDATE invitations SET status = 'revoked', responded_at = ? WHERE id = ? AND status = 'pending'`,
		s.Now().Format(store.TimeFormat), id)
	inv.Status = "revoked"
	return inv, err
}

// ApplyRemoteInvitation adds userID to workspaceID with role for an
// invitation accepted on the hosted auth server, once: remoteID (server URL
// and invitation id) is remembered so a member the Owner later removes is
// not added back on the next sync. It never lowers an existing role.
func (s *Service) ApplyRemoteInvitation(remoteID string, workspaceID, userID int64, role Role) (bool, error) {
	if !role.Valid() {
		return false, fmt.Errorf("unknown role %q", role)
	}
	now := s.Now().Format(store.TimeFormat)
	tx, err := s.db.Begin()
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.Exec(`INSERT INTO applied_remote_invitations(remote_id, applied_at) VALUES(?,?) ON CONFLICT DO NOTHING`, remoteID, now)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if _, err := tx.Exec(`INSERT INTO members(workspace_id, user_id, role, joined_at) VALUES(?,?,?,?)
		ON CONFLICT(workspace_id, user_id) DO NOTHING`, workspaceID, userID, role, now); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// SentInvitation is a hosted invitation as this install created it.
type SentInvitation struct {
	RemoteID    string
	WorkspaceID int64
	Email       string
	Role        Role
}

// RecordSentInvitation remembers an invitation an Owner created on the
// hosted server (remoteID: server URL and its invitation id).
func (s *Service) RecordSentInvitation(inv SentInvitation, invitedBy int64) error {
	email, err := auth.NormalizeEmail(inv.Email)
	if err != nil {
		return err
	}
	if !inv.Role.Valid() {
		return fmt.Errorf("unknown role %q", inv.Role)
	}
	_, err = s.db.Exec(`INSERT INTO hosted_invitations_sent(remote_id, workspace_id, email, role, invited_by, created_at) VALUES(?,?,?,?,?,?)`,
		inv.RemoteID, inv.WorkspaceID, email, inv.Role, invitedBy, s.Now().Format(store.TimeFormat))
	return err
}

// ErrForeignInvitation refuses a hosted invitation this install did not create.
var ErrForeignInvitation = errors.New("this invitation was not created by an Owner of this installation, so it cannot add anyone here")

// SentInvitationByRemoteID returns the recorded invitation, or ErrForeignInvitation.
func (s *Service) SentInvitationByRemoteID(remoteID string) (SentInvitation, error) {
	inv := SentInvitation{RemoteID: remoteID}
	err := s.db.QueryRow(`SELECT workspace_id, email, role FROM hosted_invitations_sent WHERE remote_id = ?`, remoteID).
		Scan(&inv.WorkspaceID, &inv.Email, &inv.Role)
	if err != nil {
		return inv, ErrForeignInvitation
	}
	return inv, nil
}

// Package hosted is the optional shared account service: a small JSON API
// (see docs/hosted-auth.md) that several installs point at, so a team on
// several machines shares accounts, login links and invitations. Workspaces
// and their data stay in each install.
//
// Server is the reference implementation (`lead-navigator auth-server`),
// built on backend/auth and backend/store; Client is what the app uses.
package hosted

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"mime"
	"net/http"
	"strings"
	"time"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/httpguard"
	"leadnavigator/backend/mail"
	"leadnavigator/backend/store"
)

// InvitationTTL matches the local rule: 7 days.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation as exchanged with clients. WorkspaceRef identifies the
// workspace in the inviting install ("<install id>:<workspace id>").
type Invitation struct {
	ID            int64  `json:"id"`
	WorkspaceRef  string `json:"workspaceRef"`
	WorkspaceName string `json:"workspaceName"`
	Email         string `json:"email"`
	Role          string `json:"role"`
	InvitedBy     string `json:"invitedBy"`
	CreatedAt     string `json:"createdAt"`
	ExpiresAt     string `json:"expiresAt"`
	Status        string `json:"status"`
	// Code is sent back to the inviter only when the invitation email
	// could not be sent (MailError says why), to hand over another way.
	Code      string `json:"code,omitempty"`
	MailError string `json:"mailError,omitempty"`
}

// Server serves the hosted auth API.
type Server struct {
	db   *sql.DB
	auth *auth.Service
	// Send delivers emails (magic links, invitations).
	Send func(mail.Message) error
	// LinkBase prefixes links in emails; default "leadnavigator://".
	LinkBase string
	// ConfirmEmail: registrations wait for the code mailed to the address
	// (set when the server has a mail server). The answer is the same for
	// an existing email, whose owner gets a login link instead.
	ConfirmEmail bool
	Now          func() time.Time
	// public limits the calls without a session per client address.
	public *httpguard.RateLimiter
}

var migrations = []string{
	`CREATE TABLE hosted_invitations (
		id INTEGER PRIMARY KEY,
		workspace_ref TEXT NOT NULL,
		workspace_name TEXT NOT NULL,
		email TEXT NOT NULL,
		role TEXT NOT NULL CHECK (role IN ('owner','analyst','viewer')),
		invited_by TEXT NOT NULL,
		token_hash TEXT NOT NULL UNIQUE,
		created_at TEXT NOT NULL,
		expires_at TEXT NOT NULL,
		status TEXT NOT NULL DEFAULT 'pending'
	);`,
}

// NewServer migrates the hosted tables next to the auth ones in db.
func NewServer(db *sql.DB, a *auth.Service, send func(mail.Message) error) (*Server, error) {
	if err := store.Migrate(db, "hosted", migrations); err != nil {
		return nil, err
	}
	return &Server{db: db, auth: a, Send: send, LinkBase: "leadnavigator://", Now: store.Now,
		public: httpguard.NewRateLimiter(PublicCallsPerMinute, time.Minute)}, nil
}

// PublicCallsPerMinute is how many register, login and login-link calls one
// client address may make a minute (the per-email lockout and mail
// throttle apply as well).
const PublicCallsPerMinute = 30

// limited answers 429 to a client over the public call limit.
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.public.Allow(httpguard.ClientAddr(r)) {
			fail(w, http.StatusTooManyRequests, errors.New("too many attempts from this address: wait a minute and try again"))
			return
		}
		h(w, r)
	}
}

// handleLogout revokes the bearer session.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, who auth.Identity) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if err := s.auth.Logout(tok); err != nil {
		fail(w, http.StatusUnauthorized, err)
		return
	}
	reply(w, http.StatusOK, struct{}{})
}

// Handler routes the API under /v1/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/register", s.limited(s.handleRegister))
	mux.HandleFunc("POST /v1/login", s.limited(s.handleLogin))
	mux.HandleFunc("POST /v1/magic-link", s.limited(s.handleMagicRequest))
	mux.HandleFunc("POST /v1/magic-link/consume", s.limited(s.handleMagicConsume))
	mux.HandleFunc("POST /v1/logout", s.withUser(s.handleLogout))
	mux.HandleFunc("POST /v1/invitations", s.withUser(s.handleInvite))
	mux.HandleFunc("GET /v1/invitations/mine", s.withUser(s.handleMine))
	mux.HandleFunc("GET /v1/invitations/sent", s.withUser(s.handleSent))
	mux.HandleFunc("POST /v1/invitations/{id}/{verb}", s.withUser(s.handleRespond))
	mux.HandleFunc("POST /v1/invitations/accept-token", s.withUser(s.handleAcceptToken))
	return mux
}

// apiError is the body of every non-2xx answer.
type apiError struct {
	Error string `json:"error"`
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, err error) {
	reply(w, status, apiError{Error: err.Error()})
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		// A web page can send text/plain or form bodies to any server
		// without asking; JSON it cannot.
		fail(w, http.StatusUnsupportedMediaType, errors.New("request body must be sent as application/json"))
		return false
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		fail(w, http.StatusBadRequest, fmt.Errorf("request body must be JSON: %w", err))
		return false
	}
	return true
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	FullName string `json:"fullName"`
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if !decode(w, r, &c) {
		return
	}
	if s.ConfirmEmail {
		s.registerByEmail(w, c)
		return
	}
	sess, err := s.auth.Register(c.Email, c.Password, c.FullName)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	reply(w, http.StatusOK, sess)
}

func (s *Server) registerByEmail(w http.ResponseWriter, c credentials) {
	reg, err := s.auth.StartRegistration(c.Email, c.Password, c.FullName)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	switch {
	case reg.Token != "":
		go s.send(mail.ConfirmRegistration(s.LinkBase, reg.Email, reg.Token))
	case reg.Existing.ID != 0:
		if tok, _, ok, err := s.auth.CreateMagicLink(reg.Email); err == nil && ok {
			go s.send(mail.AccountExists(s.LinkBase, reg.Email, tok))
		}
	}
	reply(w, http.StatusAccepted, auth.Session{Pending: true, User: auth.User{Email: reg.Email}})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if !decode(w, r, &c) {
		return
	}
	sess, err := s.auth.Login(c.Email, c.Password)
	if err != nil {
		fail(w, http.StatusUnauthorized, err)
		return
	}
	reply(w, http.StatusOK, sess)
}

// handleMagicRequest answers 202 whatever the email (no enumeration) and
// sends the link only to existing accounts.
func (s *Server) handleMagicRequest(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if !decode(w, r, &c) {
		return
	}
	if _, err := auth.NormalizeEmail(c.Email); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	token, u, ok, err := s.auth.CreateMagicLink(c.Email)
	if err != nil {
		log.Printf("hosted magic link: %v", err)
	}
	if ok {
		go s.send(mail.MagicLink(s.LinkBase, u.Email, token))
	}
	reply(w, http.StatusAccepted, struct{}{})
}

func (s *Server) send(m mail.Message) error {
	if s.Send == nil {
		return mail.ErrNotConfigured
	}
	err := s.Send(m)
	if err != nil {
		log.Printf("hosted: email %q not sent: %v", m.Subject, err)
	}
	return err
}

func (s *Server) handleMagicConsume(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Token string `json:"token"`
	}
	if !decode(w, r, &body) {
		return
	}
	sess, err := s.auth.ConsumeMagicLink(body.Token)
	if err != nil {
		fail(w, http.StatusUnauthorized, err)
		return
	}
	reply(w, http.StatusOK, sess)
}

// withUser verifies the bearer session token before h runs.
func (s *Server) withUser(h func(http.ResponseWriter, *http.Request, auth.Identity)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		id, err := s.auth.Verify(tok)
		if err != nil {
			fail(w, http.StatusUnauthorized, err)
			return
		}
		h(w, r, id)
	}
}

func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request, who auth.Identity) {
	var in Invitation
	if !decode(w, r, &in) {
		return
	}
	inv, token, err := s.createInvitation(who, in)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	if err := s.send(mail.Invite(s.LinkBase, mail.InviteInfo{To: inv.Email, InvitedBy: inv.InvitedBy, WorkspaceName: inv.WorkspaceName, Role: inv.Role, ExpiresAt: inv.ExpiresAt}, token)); err != nil {
		inv.Code, inv.MailError = token, err.Error()
	}
	reply(w, http.StatusOK, inv)
}

func (s *Server) createInvitation(who auth.Identity, in Invitation) (Invitation, string, error) {
	email, err := auth.NormalizeEmail(in.Email)
	if err != nil {
		return Invitation{}, "", err
	}
	if in.Role != "owner" && in.Role != "analyst" && in.Role != "viewer" {
		return Invitation{}, "", fmt.Errorf("unknown role %q: use owner, analyst or viewer", in.Role)
	}
	if in.WorkspaceRef == "" || strings.TrimSpace(in.WorkspaceName) == "" {
		return Invitation{}, "", errors.New("workspaceRef and workspaceName are required")
	}
	now := s.Now()
	token := auth.NewToken()
	res, err := s.db.Exec(`INSERT INTO hosted_invitations(workspace_ref, workspace_name, email, role, invited_by, token_hash, created_at, expires_at)
		VALUES(?,?,?,?,?,?,?,?)`, in.WorkspaceRef, strings.TrimSpace(in.WorkspaceName), email, in.Role, who.Email,
		auth.HashToken(token), now.Format(store.TimeFormat), now.Add(InvitationTTL).Format(store.TimeFormat))
	if err != nil {
		return Invitation{}, "", err
	}
	id, _ := res.LastInsertId()
	list, err := s.invitations(`id = ?`, id)
	if err != nil || len(list) == 0 {
		return Invitation{}, "", fmt.Errorf("read back invitation: %v", err)
	}
	return list[0], token, nil
}

func (s *Server) invitations(where string, args ...any) ([]Invitation, error) {
	return store.Collect(s.db, func(row store.Scanner) (Invitation, error) {
		var i Invitation
		return i, row.Scan(&i.ID, &i.WorkspaceRef, &i.WorkspaceName, &i.Email, &i.Role, &i.InvitedBy, &i.CreatedAt, &i.ExpiresAt, &i.Status)
	}, `SELECT id, workspace_ref, workspace_name, email, role, invited_by, created_at, expires_at, status
		FROM hosted_invitations WHERE `+where+` ORDER BY id DESC`, args...)
}

func (s *Server) handleMine(w http.ResponseWriter, r *http.Request, who auth.Identity) {
	list, err := s.invitations(`email = ? AND status = 'pending' AND expires_at > ?`, who.Email, s.Now().Format(store.TimeFormat))
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	reply(w, http.StatusOK, list)
}

// handleSent lists the invitations of one workspace sent by the caller.
func (s *Server) handleSent(w http.ResponseWriter, r *http.Request, who auth.Identity) {
	list, err := s.invitations(`invited_by = ? AND workspace_ref = ?`, who.Email, r.URL.Query().Get("workspaceRef"))
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	reply(w, http.StatusOK, list)
}

var errNoInvitation = errors.New("this invitation does not exist, was withdrawn, was already answered or is not addressed to you")

func (s *Server) handleRespond(w http.ResponseWriter, r *http.Request, who auth.Identity) {
	var id int64
	fmt.Sscan(r.PathValue("id"), &id)
	status := map[string]string{"accept": "accepted", "reject": "rejected", "revoke": "revoked"}[r.PathValue("verb")]
	if status == "" {
		fail(w, http.StatusNotFound, fmt.Errorf("unknown action %q", r.PathValue("verb")))
		return
	}
	// The invitee answers; only the inviter revokes. Accepting from the
	// list (without the mailed code) needs an address the account proved.
	col := "email"
	if status == "revoked" {
		col = "invited_by"
	}
	if status == "accepted" && !s.auth.EmailVerified(who.ID) {
		fail(w, http.StatusForbidden, auth.ErrEmailNotVerified)
		return
	}
	s.answer(w, status, col+` = ? AND id = ?`, who.Email, id)
}

func (s *Server) handleAcceptToken(w http.ResponseWriter, r *http.Request, who auth.Identity) {
	var body struct {
		Token string `json:"token"`
	}
	if !decode(w, r, &body) {
		return
	}
	s.answer(w, "accepted", `email = ? AND token_hash = ?`, who.Email, auth.HashToken(body.Token))
}

// answer moves one pending, unexpired invitation matching where to status.
func (s *Server) answer(w http.ResponseWriter, status, where string, args ...any) {
	list, err := s.invitations(where+` AND status = 'pending'`, args...)
	if err != nil || len(list) == 0 {
		fail(w, http.StatusNotFound, errNoInvitation)
		return
	}
	inv := list[0]
	now := s.Now().Format(store.TimeFormat)
	if status != "revoked" && inv.ExpiresAt <= now {
		fail(w, http.StatusGone, errors.New("this invitation has expired (invitations are valid for 7 days): ask the Owner to invite you again"))
		return
	}
	if _, err := s.db.Exec(`UPDATE hosted_invitations SET status = ? WHERE id = ? AND status = 'pending'`, status, inv.ID); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	inv.Status = status
	reply(w, http.StatusOK, inv)
}

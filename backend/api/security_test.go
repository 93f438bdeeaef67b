package api

import (
	"database/sql"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/hosted"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/mail"
	"leadnavigator/backend/mail/mailtest"
	"leadnavigator/backend/settings"
	"leadnavigator/backend/store"
	"leadnavigator/backend/workspace"
)

// hostedServer runs the reference hosted auth server on 127.0.0.1 with
// its mail going to a real SMTP sink.
type hostedServer struct {
	url  string
	db   *sql.DB
	mail *mailtest.Server
}

func startHostedServer(t *testing.T) hostedServer {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "auth-server.db"))
	must(t, err)
	t.Cleanup(func() { db.Close() })
	authSvc, err := auth.New(db, []byte("server-signing-key-0123456789abcdef"), auth.Config{})
	must(t, err)
	authSvc.UseFastHashingForTests()
	sink := mailtest.Start(t)
	smtpCfg := mail.Config{Host: sink.Host, Port: sink.Port, From: "auth@example.com"}
	srv, err := hosted.NewServer(db, authSvc, func(m mail.Message) error { return mail.Send(smtpCfg, m) })
	must(t, err)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hostedServer{url: hs.URL, db: db, mail: sink}
}

// Issue 11 #2: switching to hosted auth must not let whoever registers an
// existing local email on the server take over that local account.
func TestHostedRegistrationDoesNotTakeOverALocalAccount(t *testing.T) {
	hs := startHostedServer(t)
	f := newFixture(t)
	admin := f.tokens[asOwner]
	adminID := f.userIDs[asOwner]
	_, err := f.api.SaveSettings(admin, settings.Settings{HostedAuthURL: hs.url}, "")
	must(t, err)

	s, err := f.api.Register("owner@example.com", "mallory's own password", "Mallory")
	if err == nil || s.Token != "" {
		t.Fatalf("registering the admin's email on the server gave %+v, %v", s, err)
	}
	if s, err := f.api.Login("owner@example.com", "mallory's own password"); err == nil || s.User.ID == adminID {
		t.Fatalf("logging in with the server password gave the local admin: %+v %v", s, err)
	}
	// The real owner proves the email with a login link: the accounts link.
	must(t, f.api.RequestMagicLink("owner@example.com"))
	link := tokenFrom(t, hs.mail.Next(t, 5*time.Second))
	s, err = f.api.LoginWithMagicLink(link)
	if err != nil || s.User.ID != adminID {
		t.Fatalf("login link of the owner: %+v %v", s, err)
	}
	// A local account whose password is also the server's links by password.
	_, err = hosted.NewClient(hs.url).Register("analyst@example.com", "correct horse", "Ana")
	must(t, err)
	s, err = f.api.Login("analyst@example.com", "correct horse")
	if err != nil || s.User.ID != f.userIDs[asAnalyst] {
		t.Fatalf("same password on both: %+v %v", s, err)
	}
}

// Issue 11 #3: an account of the hosted server that knows an install id
// cannot create an invitation to that install's workspace and accept it;
// a tampered role on the server is not applied either.
func TestForgedOrTamperedHostedInvitationsAreNotApplied(t *testing.T) {
	hs := startHostedServer(t)
	a := newInstall(t, hs.url)
	a.auth.UseFastHashingForTests()
	owner, err := a.Register("owner@example.com", "long enough pw", "Olive")
	must(t, err)
	ws, err := a.CreateWorkspace(owner.Token, "Shared")
	must(t, err)
	mallory, err := a.Register("mallory@example.com", "mallory's password", "Mallory")
	must(t, err)
	ref, err := a.workspaceRef(ws.ID) // every invitee sees it
	must(t, err)
	c := hosted.NewClient(hs.url)
	bearer, err := c.Login("mallory@example.com", "mallory's password")
	must(t, err)
	if _, err := c.Invite(bearer.Token, hosted.Invitation{WorkspaceRef: ref, WorkspaceName: "Shared", Email: "mallory@example.com", Role: "owner"}); err != nil {
		t.Fatal(err)
	}
	forged := tokenFrom(t, hs.mail.Next(t, 5*time.Second))
	if _, err := a.AcceptInvitationToken(mallory.Token, forged); err == nil {
		t.Fatalf("forged invitation accepted: %v", err)
	}
	a.ListInvitations(owner.Token, ws.ID) // the Owner's sync must not apply it either
	if list, _ := a.ListWorkspaces(mallory.Token); len(list) != 0 {
		t.Fatalf("forged invitation gave access: %+v", list)
	}

	// A real invitation as viewer, its role raised on the server.
	_, err = a.InviteMember(owner.Token, ws.ID, "mallory@example.com", "viewer")
	must(t, err)
	code := tokenFrom(t, hs.mail.Next(t, 5*time.Second))
	_, err = hs.db.Exec(`UPDATE hosted_invitations SET role = 'owner' WHERE status = 'pending'`)
	must(t, err)
	if _, err := a.AcceptInvitationToken(mallory.Token, code); err != nil {
		t.Fatal(err)
	}
	if list, _ := a.ListWorkspaces(mallory.Token); len(list) != 1 || list[0].Role != workspace.Viewer {
		t.Fatalf("tampered role applied: %+v", list)
	}
}

// Issue 11 #11: 30 parallel guesses after 4 failures check at most one
// more password (the fifth), whatever the timing.
func TestLockoutCountsParallelGuessesAtomically(t *testing.T) {
	// The real bcrypt cost: the window between the lock check and the
	// password check is as wide as in production.
	a, err := New(Config{DataDir: t.TempDir(), Keyring: keychain.Mock(), Engine: engine.Options{MemoryLimit: "256MB", Threads: 1}})
	must(t, err)
	defer Close(a)
	_, err = a.Register("viewer@example.com", "correct horse", "Vi")
	must(t, err)
	for i := 0; i < auth.MaxFailures-1; i++ {
		if _, err := a.Login("viewer@example.com", "wrong guess"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]int{}
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			pw := "wrong guess"
			if i == 29 {
				pw = "correct horse" // the right one among the guesses must not get through the lock
			}
			_, err := a.Login("viewer@example.com", pw)
			mu.Lock()
			results[errorName(err)]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	var counted int
	a.db.QueryRow(`SELECT COUNT(*) FROM login_failures WHERE email = 'viewer@example.com'`).Scan(&counted)
	if checked := counted - (auth.MaxFailures - 1); checked > 1 {
		t.Fatalf("%d of 30 parallel guesses were checked after %d failures, want at most 1: %v", checked, auth.MaxFailures-1, results)
	}
	if results["ok"] > 1 || results["locked"] < 29 {
		t.Fatalf("parallel guesses: %v", results)
	}
}

func errorName(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, auth.ErrLocked):
		return "locked"
	case errors.Is(err, auth.ErrBadCredentials):
		return "bad"
	}
	return err.Error()
}

package api

import (
	"database/sql"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"leadnavigator/backend/audit"
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

// drain collects the emails that arrive within wait.
func drain(srv *mailtest.Server, wait time.Duration) []mailtest.Received {
	var out []mailtest.Received
	for {
		select {
		case m := <-srv.Messages:
			out = append(out, m)
		case <-time.After(wait):
			return out
		}
	}
}

// Issue 11 #15: once email works, registering answers the same for a new
// and an existing email; the existing account's owner is told, the new
// account exists only after the mailed code comes back (which proves the
// address).
func TestRegistrationRevealsNoAccountAndProvesTheEmail(t *testing.T) {
	f := newFixture(t)
	srv := f.withSMTP()
	taken, errTaken := f.api.Register("viewer@example.com", "some new password", "Impostor")
	fresh, errFresh := f.api.Register("fresh@example.com", "some new password", "Fresh")
	if errTaken != nil || errFresh != nil || taken.Token != "" || fresh.Token != "" || !taken.Pending || !fresh.Pending {
		t.Fatalf("answers differ or log in: %+v %v / %+v %v", taken, errTaken, fresh, errFresh)
	}
	mails := map[string]mailtest.Received{}
	for _, m := range []mailtest.Received{srv.Next(t, 5*time.Second), srv.Next(t, 5*time.Second)} {
		mails[m.To] = m
	}
	if !strings.Contains(mails["viewer@example.com"].Text, "already has one") {
		t.Fatalf("the existing account's owner was not told: %+v", mails["viewer@example.com"])
	}
	if _, err := f.api.Login("viewer@example.com", "some new password"); err == nil {
		t.Fatal("registering an existing email changed its password")
	}
	if _, err := f.api.Login("fresh@example.com", "some new password"); err == nil {
		t.Fatal("the account exists before its email was confirmed")
	}
	s, err := f.api.LoginWithMagicLink(tokenFrom(t, mails["fresh@example.com"]))
	if err != nil || s.User.Email != "fresh@example.com" || !f.api.auth.EmailVerified(s.User.ID) {
		t.Fatalf("confirming: %+v %v", s, err)
	}
	if _, err := f.api.Login("fresh@example.com", "some new password"); err != nil {
		t.Fatalf("password after confirming: %v", err)
	}
}

// Issue 11 #10 and issue 12 #8: without SMTP the invitation is created
// with a notice, a code and a link; someone who registered the invitee's
// address first cannot accept it from the list; the code works.
func TestInvitationWithoutMailGivesACodeAndNeedsAProvenEmail(t *testing.T) {
	f := newFixture(t)
	inv, err := f.api.InviteMember(f.tokens[asOwner], f.ws, "Newcomer@example.com", "analyst")
	if err != nil || inv.Code == "" || !strings.Contains(inv.Link, "invite?token="+inv.Code) || !strings.Contains(inv.Notice, "not set up") {
		t.Fatalf("invitation without SMTP: %+v %v", inv, err)
	}
	if pending, _ := f.api.ListInvitations(f.tokens[asOwner], f.ws); len(pending) != 1 || pending[0].Code != "" {
		t.Fatalf("the code must only be in the creator's answer: %+v", pending)
	}
	squatter, err := f.api.Register("newcomer@example.com", "first come first served", "Squatter")
	must(t, err)
	if _, err := f.api.AcceptInvitation(squatter.Token, inv.ID); err == nil {
		t.Fatal("an account that never proved the address accepted the invitation")
	}
	joined, err := f.api.AcceptInvitationToken(squatter.Token, inv.Code) // the Owner handed over the code
	if err != nil || joined.WorkspaceID != f.ws {
		t.Fatalf("accepting with the code: %+v %v", joined, err)
	}
}

// Issue 11 #11: 20 login-link requests and 20 invitations to one address
// send a handful of emails, not 20.
func TestLoginLinksAndInvitationsAreThrottledPerAddress(t *testing.T) {
	f := newFixture(t)
	srv := f.withSMTP()
	for i := 0; i < 20; i++ {
		must(t, f.api.RequestMagicLink("viewer@example.com"))
	}
	var invErr error
	for i := 0; i < 20 && invErr == nil; i++ {
		_, invErr = f.api.InviteMember(f.tokens[asOwner], f.ws, "guest@example.com", "viewer")
	}
	if invErr == nil {
		t.Fatal("20 invitations to one address in a row were all accepted")
	}
	counts := map[string]int{}
	for _, m := range drain(srv, time.Second) {
		counts[m.To]++
	}
	if counts["viewer@example.com"] > 3 || counts["guest@example.com"] > 5 {
		t.Fatalf("emails sent: %v", counts)
	}
}

// Issue 11 #9: the Gemini key is installation-wide: only the admin sets
// or clears it.
func TestOnlyTheAdminSetsTheGeminiKey(t *testing.T) {
	f := newFixture(t)
	key := "AIzaSy-this-is-a-long-enough-test-key"
	if _, err := f.api.SetGeminiKey(f.tokens[asOutsider], key); err == nil {
		t.Fatal("a self-registered account set the Gemini key")
	}
	must(t, func() error { _, err := f.api.SetGeminiKey(f.tokens[asOwner], key); return err }())
	if _, err := f.api.ClearGeminiKey(f.tokens[asAnalyst]); err == nil {
		t.Fatal("a non-admin cleared the Gemini key")
	}
	if got, err := f.api.keys.Get("gemini-api-key"); err != nil || got != key {
		t.Fatalf("key after refused changes: %q %v", got, err)
	}
}

// Issue 11 #12: a megabyte typed as an email does not become a megabyte
// row, a password typed in the email field is not stored, and refused
// access is audited (once per minute and method, not per probe).
func TestAuditIsBoundedAndRecordsRefusals(t *testing.T) {
	f := newFixture(t)
	huge := strings.Repeat("x", 1<<20) + "@example.com"
	f.api.Login(huge, "whatever password")
	f.api.Login("Tr0ub4dor&3-secret", "whatever password")
	var biggest int
	f.api.db.QueryRow(`SELECT MAX(LENGTH(details)) FROM audit_log`).Scan(&biggest)
	if biggest > 10000 {
		t.Fatalf("an audit row of %d bytes", biggest)
	}
	var leaked int
	f.api.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE details LIKE '%Tr0ub4dor%'`).Scan(&leaked)
	if leaked != 0 {
		t.Fatal("a password typed in the email field is in the audit trail")
	}
	for i := 0; i < 5; i++ {
		f.api.ListAudit(f.tokens[asViewer], f.ws, audit.Filter{})
	}
	rows, err := f.api.audit.List(f.ws, audit.Filter{Action: "access.denied"})
	if err != nil || len(rows) != 1 || !strings.Contains(string(rows[0].Details), `"ListAudit"`) || rows[0].UserID != f.userIDs[asViewer] {
		t.Fatalf("refusals audited: %+v %v", rows, err)
	}
}

// Issue 12 #8: two workspaces of the same name show whose they are.
func TestWorkspaceListNamesTheOwner(t *testing.T) {
	f := newFixture(t)
	mine, err := f.api.CreateWorkspace(f.tokens[asAnalyst], "Own")
	must(t, err)
	list, err := f.api.ListWorkspaces(f.tokens[asAnalyst])
	must(t, err)
	owners := map[int64]string{}
	for _, w := range list {
		owners[w.ID] = w.OwnerName + " <" + w.OwnerEmail + ">"
	}
	if owners[f.ws] != "owner <owner@example.com>" || owners[mine.ID] != "analyst <analyst@example.com>" {
		t.Fatalf("owners: %v", owners)
	}
}

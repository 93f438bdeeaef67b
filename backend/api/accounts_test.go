package api

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/mail"
	"leadnavigator/backend/mail/mailtest"
	"leadnavigator/backend/settings"
)

// withSMTP points the app's Settings at a real SMTP server on 127.0.0.1.
func (f *fixture) withSMTP() *mailtest.Server {
	f.t.Helper()
	srv := mailtest.Start(f.t)
	_, err := f.api.SaveSettings(f.tokens[asOwner], settings.Settings{
		SMTP: mail.Config{Host: srv.Host, Port: srv.Port, From: "navigator@example.com"},
	}, "")
	must(f.t, err)
	return srv
}

// testClock replaces the clocks of auth, workspaces and audit.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time      { return c.t }
func (c *testClock) add(d time.Duration) { c.t = c.t.Add(d) }
func (f *fixture) clock() *testClock {
	c := &testClock{t: time.Now().UTC()}
	f.api.auth.Now, f.api.workspaces.Now, f.api.audit.Now = c.now, c.now, c.now
	return c
}

var tokenInText = regexp.MustCompile(`token=([A-Za-z0-9_-]{43})`)

func tokenFrom(t *testing.T, m mailtest.Received) string {
	t.Helper()
	got := tokenInText.FindStringSubmatch(m.Text)
	if got == nil || !strings.Contains(m.HTML, got[1]) {
		t.Fatalf("no token in both parts of the email:\n%s\n---\n%s", m.Text, m.HTML)
	}
	return got[1]
}

func TestMagicLinkThroughSMTP(t *testing.T) {
	f := newFixture(t)
	srv := f.withSMTP()
	c := f.clock()

	must(t, f.api.RequestMagicLink("Analyst@Example.com"))
	m := srv.Next(t, 5*time.Second)
	if m.To != "analyst@example.com" || !strings.Contains(m.Raw, "multipart/alternative") || m.Subject == "" {
		t.Fatalf("email: to=%q subject=%q", m.To, m.Subject)
	}
	tok := tokenFrom(t, m)
	if !strings.Contains(m.Text, "leadnavigator://magic?token=") {
		t.Fatalf("link does not open the app: %s", m.Text)
	}
	s, err := f.api.LoginWithMagicLink(tok)
	if err != nil || s.User.ID != f.userIDs[asAnalyst] {
		t.Fatalf("first use: %+v %v", s, err)
	}
	if _, err := f.api.Me(s.Token); err != nil {
		t.Fatalf("session from magic link: %v", err)
	}
	if _, err := f.api.LoginWithMagicLink(tok); !errors.Is(err, auth.ErrBadMagicLink) {
		t.Fatalf("second use: %v", err)
	}

	must(t, f.api.RequestMagicLink("analyst@example.com"))
	late := tokenFrom(t, srv.Next(t, 5*time.Second))
	c.add(5*time.Minute + time.Second)
	if _, err := f.api.LoginWithMagicLink(late); !errors.Is(err, auth.ErrBadMagicLink) {
		t.Fatalf("after 5 minutes: %v", err)
	}

	// Unknown email: same answer, no email.
	if err := f.api.RequestMagicLink("nobody@example.com"); err != nil {
		t.Fatalf("unknown email: %v", err)
	}
	select {
	case m := <-srv.Messages:
		t.Fatalf("email sent for an unknown account: %s", m.To)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestMagicLinkWithoutSMTPSaysSo(t *testing.T) {
	f := newFixture(t)
	if err := f.api.RequestMagicLink("owner@example.com"); !errors.Is(err, mail.ErrNotConfigured) {
		t.Fatalf("got %v", err)
	}
}

func TestSMTPPasswordLivesInTheKeychain(t *testing.T) {
	f := newFixture(t)
	s, err := f.api.SaveSettings(f.tokens[asOwner], settings.Settings{
		SMTP: mail.Config{Host: "smtp.example.com", Port: 587, From: "a@example.com", Username: "u", StartTLS: true},
	}, "hunter2-smtp")
	if err != nil || !s.SMTPPasswordSet || s.KeychainBackend == "" {
		t.Fatalf("%+v %v", s, err)
	}
	var raw string
	f.api.db.QueryRow(`SELECT group_concat(value) FROM settings`).Scan(&raw)
	var audit string
	f.api.db.QueryRow(`SELECT group_concat(details) FROM audit_log`).Scan(&audit)
	if strings.Contains(raw, "hunter2") || strings.Contains(audit, "hunter2") {
		t.Fatal("SMTP password stored in SQLite")
	}
	if _, err := f.api.SaveSettings(f.tokens[asOwner], settings.Settings{HostedAuthURL: "http://auth.example.com"}, ""); err == nil {
		t.Fatal("plain-http hosted auth URL accepted")
	}
}

func TestLoginLockoutIsAuditedAndGeneric(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 5; i++ {
		f.api.Login("viewer@example.com", "wrong password")
	}
	_, err := f.api.Login("viewer@example.com", "correct horse")
	if !errors.Is(err, auth.ErrLocked) {
		t.Fatalf("got %v", err)
	}
	var n int
	f.api.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed' AND user_id = ?`, f.userIDs[asViewer]).Scan(&n)
	if n != 6 {
		t.Fatalf("%d login.failed entries, want 6", n)
	}
}

// newInstall is one more app install (its own data dir) using the hosted
// auth server at url.
func newInstall(t *testing.T, url string) *API {
	t.Helper()
	a, err := New(Config{DataDir: t.TempDir(), Keyring: keychain.Mock(), Engine: engine.Options{MemoryLimit: "256MB", Threads: 1}})
	must(t, err)
	t.Cleanup(func() { Close(a) })
	_, err = a.settings.Save(settings.Settings{HostedAuthURL: url})
	must(t, err)
	return a
}

// TestHostedAuthSharedByTwoInstalls runs the reference server on 127.0.0.1
// and two installs against it: accounts, magic links and an invitation
// cross from one install to the other; workspaces stay local.
func TestHostedAuthSharedByTwoInstalls(t *testing.T) {
	server := startHostedServer(t)
	sink := server.mail
	a, b := newInstall(t, server.url), newInstall(t, server.url)
	owner, err := a.Register("owner@example.com", "long enough pw", "Olive")
	must(t, err)
	ws, err := a.CreateWorkspace(owner.Token, "Shared")
	must(t, err)
	bob, err := b.Register("bob@example.com", "bob's password", "Bob")
	must(t, err)
	if _, err := a.Login("bob@example.com", "bob's password"); err != nil {
		t.Fatalf("bob's account is not shared with install A: %v", err)
	}
	if _, err := a.Login("bob@example.com", "wrong password"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Fatalf("wrong password through the server: %v", err)
	}
	var failed int
	a.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed'`).Scan(&failed)
	if failed != 1 {
		t.Fatalf("%d login.failed entries on A, want 1", failed)
	}

	// Magic link requested on B is emailed by the server and works once.
	must(t, b.RequestMagicLink("owner@example.com"))
	magic := tokenFrom(t, sink.Next(t, 5*time.Second))
	s, err := b.LoginWithMagicLink(magic)
	if err != nil || s.User.Email != "owner@example.com" {
		t.Fatalf("magic link on B: %+v %v", s, err)
	}
	if _, err := b.LoginWithMagicLink(magic); err == nil {
		t.Fatal("magic link used twice")
	}
	if list, _ := b.ListWorkspaces(s.Token); len(list) != 0 {
		t.Fatalf("install A's workspace visible on B: %+v", list)
	}

	// Invitation from A to bob, accepted on B by the emailed code.
	inv, err := a.InviteMember(owner.Token, ws.ID, "bob@example.com", "analyst")
	must(t, err)
	code := tokenFrom(t, sink.Next(t, 5*time.Second))
	mine, err := b.MyInvitations(bob.Token)
	if err != nil || len(mine) != 1 || mine[0].ID != inv.ID || mine[0].WorkspaceName != "Shared" || mine[0].WorkspaceID != 0 {
		t.Fatalf("bob's invitations on B: %+v %v", mine, err)
	}
	if _, err := b.AcceptInvitationToken(bob.Token, code); err != nil {
		t.Fatal(err)
	}
	if pending, err := a.ListInvitations(owner.Token, ws.ID); err != nil || len(pending) != 0 {
		t.Fatalf("pending on A after accept: %+v %v", pending, err)
	}
	members, _ := a.ListMembers(owner.Token, ws.ID)
	if len(members) != 2 || members[0].Email != "bob@example.com" || members[0].Role != "analyst" {
		t.Fatalf("members on A: %+v", members)
	}
	bobOnA, err := a.Login("bob@example.com", "bob's password")
	must(t, err)
	if list, _ := a.ListWorkspaces(bobOnA.Token); len(list) != 1 || list[0].ID != ws.ID {
		t.Fatalf("bob's workspaces on A: %+v", list)
	}
}

func TestOnlyTheInstallAdminChangesSettings(t *testing.T) {
	f := newFixture(t) // the owner registered first: the administrator
	s, err := f.api.GetSettings(f.tokens[asViewer])
	if err != nil || s.CanEdit {
		t.Fatalf("viewer reads settings: %+v %v", s, err)
	}
	if _, err := f.api.SaveSettings(f.tokens[asViewer], settings.Settings{SMTP: mail.Config{Host: "evil.example.com", Port: 25, From: "x@evil.example.com"}}, ""); !errors.Is(err, ErrNotAdmin) {
		t.Fatalf("non-admin changed SMTP: %v", err)
	}
	if s, _ := f.api.GetSettings(f.tokens[asOwner]); !s.CanEdit || s.SMTP.Host == "evil.example.com" {
		t.Fatalf("admin view: %+v", s)
	}
}

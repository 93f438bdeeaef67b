package hosted

import (
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/mail"
	"leadnavigator/backend/mail/mailtest"
	"leadnavigator/backend/store"
)

// startServer runs the reference server on 127.0.0.1 with a real SMTP sink.
func startServer(t *testing.T) (*Client, *mailtest.Server, *Server) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "auth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a, err := auth.New(db, []byte("0123456789abcdef0123456789abcdef"), auth.Config{})
	if err != nil {
		t.Fatal(err)
	}
	a.UseFastHashingForTests()
	sink := mailtest.Start(t)
	cfg := mail.Config{Host: sink.Host, Port: sink.Port, From: "auth@example.com"}
	srv, err := NewServer(db, a, func(m mail.Message) error { return mail.Send(cfg, m) })
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return NewClient(hs.URL), sink, srv
}

var tokenRe = regexp.MustCompile(`token=([A-Za-z0-9_-]{43})`)

func mailedToken(t *testing.T, sink *mailtest.Server, to string) string {
	t.Helper()
	m := sink.Next(t, 5*time.Second)
	if m.To != to {
		t.Fatalf("email to %q, want %q", m.To, to)
	}
	got := tokenRe.FindStringSubmatch(m.Text)
	if got == nil {
		t.Fatalf("no token in %s", m.Text)
	}
	return got[1]
}

func TestRoundTrip(t *testing.T) {
	c, sink, _ := startServer(t)
	owner, err := c.Register("Owner@example.com", "long enough", "Olive")
	if err != nil || owner.User.Email != "owner@example.com" || owner.Token == "" {
		t.Fatalf("register: %+v %v", owner, err)
	}
	if _, err := c.Register("owner@example.com", "long enough", ""); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("duplicate register: %v", err)
	}
	if _, err := c.Login("owner@example.com", "wrong one!"); err == nil || err.Error() != auth.ErrBadCredentials.Error() {
		t.Fatalf("bad password: %v", err)
	}
	if _, err := c.Login("owner@example.com", "long enough"); err != nil {
		t.Fatalf("login: %v", err)
	}

	// Magic link: emailed by the server, usable once.
	if err := c.RequestMagicLink("nobody@example.com"); err != nil {
		t.Fatalf("unknown email must look the same: %v", err)
	}
	must(t, c.RequestMagicLink("owner@example.com"))
	tok := mailedToken(t, sink, "owner@example.com")
	if s, err := c.ConsumeMagicLink(tok); err != nil || s.User.Email != "owner@example.com" {
		t.Fatalf("magic link: %+v %v", s, err)
	}
	if _, err := c.ConsumeMagicLink(tok); err == nil {
		t.Fatal("magic link used twice")
	}

	// Invitation: sent by the owner, listed for the invitee, accepted by code.
	inv, err := c.Invite(owner.Token, Invitation{WorkspaceRef: "install-a:1", WorkspaceName: "Acme", Email: "bob@example.com", Role: "analyst"})
	if err != nil || inv.Status != "pending" || inv.InvitedBy != "owner@example.com" {
		t.Fatalf("invite: %+v %v", inv, err)
	}
	code := mailedToken(t, sink, "bob@example.com")
	bob, err := c.Register("bob@example.com", "long enough", "Bob")
	must(t, err)
	if mine, err := c.Mine(bob.Token); err != nil || len(mine) != 1 || mine[0].WorkspaceName != "Acme" {
		t.Fatalf("mine: %+v %v", mine, err)
	}
	if _, err := c.AcceptToken(owner.Token, code); err == nil {
		t.Fatal("someone else accepted bob's invitation")
	}
	if got, err := c.AcceptToken(bob.Token, code); err != nil || got.Status != "accepted" {
		t.Fatalf("accept: %+v %v", got, err)
	}
	sent, err := c.Sent(owner.Token, "install-a:1")
	if err != nil || len(sent) != 1 || sent[0].Status != "accepted" {
		t.Fatalf("sent: %+v %v", sent, err)
	}
	if _, err := c.Mine("not a token"); err == nil {
		t.Fatal("unauthenticated call accepted")
	}
}

func TestUnreachableServerSaysSo(t *testing.T) {
	c := NewClient("http://127.0.0.1:1")
	if _, err := c.Login("a@example.com", "long enough"); err == nil || !strings.Contains(err.Error(), "cannot be reached") {
		t.Fatalf("got %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

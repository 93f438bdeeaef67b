package workspace

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/store"
)

type env struct {
	ws    *Service
	users map[string]int64
	now   time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a, err := auth.New(db, []byte("0123456789abcdef0123456789abcdef"), auth.Config{})
	if err != nil {
		t.Fatal(err)
	}
	a.UseFastHashingForTests()
	s, err := New(db)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{ws: s, users: map[string]int64{}, now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s.Now = func() time.Time { return e.now }
	for _, name := range []string{"owner", "bob", "carol"} {
		sess, err := a.Register(name+"@example.com", "long enough", name)
		if err != nil {
			t.Fatal(err)
		}
		e.users[name] = sess.User.ID
	}
	return e
}

func TestLastOwnerCannotBeRemovedOrDemoted(t *testing.T) {
	e := newEnv(t)
	w, _ := e.ws.Create(e.users["owner"], "Acme")
	if err := e.ws.SetRole(w.ID, e.users["owner"], Analyst); !errors.Is(err, ErrLastOwner) {
		t.Fatalf("demote last owner: %v", err)
	}
	if err := e.ws.RemoveMember(w.ID, e.users["owner"]); !errors.Is(err, ErrLastOwner) {
		t.Fatalf("remove last owner: %v", err)
	}
	e.ws.AddMember(w.ID, e.users["bob"], Viewer)
	if err := e.ws.SetRole(w.ID, e.users["bob"], Owner); err != nil {
		t.Fatal(err)
	}
	if err := e.ws.SetRole(w.ID, e.users["owner"], Viewer); err != nil {
		t.Fatalf("demote with a second owner: %v", err)
	}
	if err := e.ws.RemoveMember(w.ID, e.users["carol"]); !errors.Is(err, ErrNotMember) {
		t.Fatalf("remove non-member: %v", err)
	}
	if err := e.ws.SetRole(w.ID, e.users["bob"], "admin"); err == nil {
		t.Fatal("unknown role accepted")
	}
}

func TestInvitationLifecycle(t *testing.T) {
	e := newEnv(t)
	w, _ := e.ws.Create(e.users["owner"], "Acme")
	inv, tok, err := e.ws.Invite(w.ID, e.users["owner"], "Bob@Example.com", Analyst)
	if err != nil || inv.Email != "bob@example.com" || inv.InvitedBy != "owner@example.com" || tok == "" {
		t.Fatalf("invite: %+v %v", inv, err)
	}
	if _, _, err := e.ws.Invite(w.ID, e.users["owner"], "owner@example.com", Viewer); !errors.Is(err, ErrAlreadyMember) {
		t.Fatalf("inviting a member: %v", err)
	}
	if _, err := e.ws.Respond(inv.ID, e.users["carol"], "carol@example.com", true); !errors.Is(err, ErrInvitationNotFound) {
		t.Fatalf("someone else accepting: %v", err)
	}
	id, err := e.ws.InvitationIDByToken(tok)
	if err != nil || id != inv.ID {
		t.Fatalf("by token: %d %v", id, err)
	}
	if _, err := e.ws.Respond(id, e.users["bob"], "bob@example.com", true); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.ws.RoleOf(e.users["bob"], w.ID); r != Analyst {
		t.Fatalf("bob's role %q", r)
	}
	if _, err := e.ws.Respond(id, e.users["bob"], "bob@example.com", true); !errors.Is(err, ErrInvitationNotFound) {
		t.Fatalf("second accept: %v", err)
	}

	late, _, _ := e.ws.Invite(w.ID, e.users["owner"], "carol@example.com", Viewer)
	e.now = e.now.Add(InvitationTTL)
	if list, _ := e.ws.ForEmail("carol@example.com"); len(list) != 0 {
		t.Fatalf("expired invitation still listed: %+v", list)
	}
	if _, err := e.ws.Respond(late.ID, e.users["carol"], "carol@example.com", true); !errors.Is(err, ErrInvitationExpired) {
		t.Fatalf("expired accept: %v", err)
	}
	again, _, _ := e.ws.Invite(w.ID, e.users["owner"], "carol@example.com", Viewer)
	if _, err := e.ws.Revoke(w.ID, again.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ws.Respond(again.ID, e.users["carol"], "carol@example.com", true); !errors.Is(err, ErrInvitationNotFound) {
		t.Fatalf("accepting a revoked invitation: %v", err)
	}
}

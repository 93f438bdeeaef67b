package api

import (
	"errors"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/workspace"
)

func TestInvitationsEndToEndThroughSMTP(t *testing.T) {
	f := newFixture(t)
	srv := f.withSMTP()
	c := f.clock()
	owner := f.tokens[asOwner]

	inv, err := f.api.InviteMember(owner, f.ws, "Non-Member@example.com", "analyst")
	if err != nil {
		t.Fatal(err)
	}
	m := srv.Next(t, 5*time.Second)
	if m.To != "non-member@example.com" || !strings.Contains(m.Subject, "Own") {
		t.Fatalf("invitation email to %q subject %q", m.To, m.Subject)
	}
	code := tokenFrom(t, m)
	if pending, _ := f.api.ListInvitations(owner, f.ws); len(pending) != 1 || pending[0].ID != inv.ID {
		t.Fatalf("pending: %+v", pending)
	}
	mine, err := f.api.MyInvitations(f.tokens[asOutsider])
	if err != nil || len(mine) != 1 || mine[0].WorkspaceName != "Own" || mine[0].Role != workspace.Analyst {
		t.Fatalf("my invitations: %+v %v", mine, err)
	}
	// Someone else holding the code cannot use it.
	if _, err := f.api.AcceptInvitationToken(f.tokens[asViewer], code); !errors.Is(err, workspace.ErrInvitationNotFound) {
		t.Fatalf("accepted by another user: %v", err)
	}
	joined, err := f.api.AcceptInvitationToken(f.tokens[asOutsider], code)
	if err != nil || joined.WorkspaceID != f.ws {
		t.Fatalf("accept: %+v %v", joined, err)
	}
	list, _ := f.api.ListWorkspaces(f.tokens[asOutsider])
	if len(list) != 1 || list[0].ID != f.ws || list[0].Role != workspace.Analyst {
		t.Fatalf("workspaces after accept: %+v", list)
	}

	// Reject. With email set up, registering waits for the mailed code,
	// which also proves the address (accepting from the list needs that).
	pending, err := f.api.Register("newcomer@example.com", "long enough pw", "New")
	if err != nil || !pending.Pending || pending.Token != "" {
		t.Fatalf("registration with email set up: %+v %v", pending, err)
	}
	newcomer, err := f.api.LoginWithMagicLink(tokenFrom(t, srv.Next(t, 5*time.Second)))
	must(t, err)
	inv2, err := f.api.InviteMember(owner, f.ws, "newcomer@example.com", "viewer")
	must(t, err)
	srv.Next(t, 5*time.Second)
	must(t, f.api.RejectInvitation(newcomer.Token, inv2.ID))
	if list, _ := f.api.ListWorkspaces(newcomer.Token); len(list) != 0 {
		t.Fatalf("rejected invitation still gave access: %+v", list)
	}
	if _, err := f.api.AcceptInvitation(newcomer.Token, inv2.ID); !errors.Is(err, workspace.ErrInvitationNotFound) {
		t.Fatalf("accept after reject: %v", err)
	}

	// Expiry after 7 days.
	inv3, err := f.api.InviteMember(owner, f.ws, "newcomer@example.com", "viewer")
	must(t, err)
	srv.Next(t, 5*time.Second)
	c.add(7*24*time.Hour + time.Minute)
	if mine, _ := f.api.MyInvitations(newcomer.Token); len(mine) != 0 {
		t.Fatalf("expired invitation listed: %+v", mine)
	}
	if _, err := f.api.AcceptInvitation(newcomer.Token, inv3.ID); !errors.Is(err, workspace.ErrInvitationExpired) {
		t.Fatalf("accepting after 7 days: %v", err)
	}

	// Revoke.
	inv4, err := f.api.InviteMember(owner, f.ws, "newcomer@example.com", "viewer")
	must(t, err)
	srv.Next(t, 5*time.Second)
	must(t, f.api.RevokeInvitation(owner, f.ws, inv4.ID))
	if _, err := f.api.AcceptInvitation(newcomer.Token, inv4.ID); !errors.Is(err, workspace.ErrInvitationNotFound) {
		t.Fatalf("accepting a revoked invitation: %v", err)
	}
}

func TestMembersRoleChangeAndLastOwner(t *testing.T) {
	f := newFixture(t)
	owner := f.tokens[asOwner]
	if err := f.api.SetMemberRole(owner, f.ws, f.userIDs[asOwner], "viewer"); !errors.Is(err, workspace.ErrLastOwner) {
		t.Fatalf("demoting the last owner: %v", err)
	}
	if err := f.api.RemoveMember(owner, f.ws, f.userIDs[asOwner]); !errors.Is(err, workspace.ErrLastOwner) {
		t.Fatalf("removing the last owner: %v", err)
	}
	must(t, f.api.SetMemberRole(owner, f.ws, f.userIDs[asViewer], "analyst"))
	must(t, f.api.RemoveMember(owner, f.ws, f.userIDs[asAnalyst]))
	members, _ := f.api.ListMembers(owner, f.ws)
	roles := map[string]workspace.Role{}
	for _, m := range members {
		roles[m.Email] = m.Role
	}
	if len(members) != 2 || roles["viewer@example.com"] != workspace.Analyst {
		t.Fatalf("members: %+v", members)
	}
	if _, err := f.api.ListMembers(f.tokens[asAnalyst], f.ws); !errors.Is(err, workspace.ErrForbidden) {
		t.Fatalf("removed member still has access: %v", err)
	}
}

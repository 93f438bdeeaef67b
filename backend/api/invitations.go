package api

import (
	"errors"
	"fmt"
	"log"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/hosted"
	"leadnavigator/backend/mail"
	"leadnavigator/backend/store"
	"leadnavigator/backend/workspace"
)

// Invitations are local (this install's SQLite + SMTP) unless a hosted auth
// server is set in Settings: then the server keeps and emails them, and this
// install adds members when it sees invitations to its workspaces accepted.

// InviteMember invites email to the workspace with role and emails them
// the invitation (Owner). Without working email the invitation is still
// created: the answer then carries a notice, the code and the link for the
// Owner to hand over another way (chat, in person).
func (a *API) InviteMember(token string, workspaceID int64, email, role string) (workspace.Invitation, error) {
	id, _, err := a.member(token, workspaceID, workspace.Manage)
	if err != nil {
		return workspace.Invitation{}, err
	}
	if err := a.workspaces.CheckInviteRate(email, id.ID); err != nil {
		return workspace.Invitation{}, err
	}
	if c := a.hostedClient(); c != nil {
		return a.hostedInvite(c, id, workspaceID, email, role)
	}
	inv, secret, err := a.workspaces.Invite(workspaceID, id.ID, email, workspace.Role(role))
	if err != nil {
		return inv, err
	}
	a.record(id, workspaceID, "invitation.sent", map[string]any{"invitationId": inv.ID, "email": inv.Email, "role": inv.Role})
	if err := a.sendMail(mail.Invite(a.linkBase(), inviteInfo(inv), secret)); err != nil {
		inv.Code, inv.Link = secret, a.linkBase()+"invite?token="+secret
		inv.Notice = fmt.Sprintf("The invitation for %s was created, but no email was sent (%v). "+
			"Give them this code or link another way; they log in with %s and paste it under Members > My invitations.", inv.Email, err, inv.Email)
		if errors.Is(err, mail.ErrNotConfigured) {
			inv.Notice = fmt.Sprintf("Email is not set up on this installation, so no email was sent. "+
				"Give %s this code or link another way; they log in with that address and paste it under Members > My invitations.", inv.Email)
		}
	}
	return inv, nil
}

// ListInvitations lists a workspace's pending invitations (Owner).
func (a *API) ListInvitations(token string, workspaceID int64) ([]workspace.Invitation, error) {
	id, _, err := a.member(token, workspaceID, workspace.Manage)
	if err != nil {
		return nil, err
	}
	if c := a.hostedClient(); c != nil {
		return a.hostedPending(c, id, workspaceID)
	}
	return a.workspaces.Pending(workspaceID)
}

// RevokeInvitation withdraws a pending invitation (Owner).
func (a *API) RevokeInvitation(token string, workspaceID, invitationID int64) error {
	id, _, err := a.member(token, workspaceID, workspace.Manage)
	if err != nil {
		return err
	}
	var inv workspace.Invitation
	if c := a.hostedClient(); c != nil {
		inv, err = a.hostedRevoke(c, id, workspaceID, invitationID)
	} else {
		inv, err = a.workspaces.Revoke(workspaceID, invitationID)
	}
	if err != nil {
		return err
	}
	a.record(id, workspaceID, "invitation.revoked", map[string]any{"invitationId": inv.ID, "email": inv.Email})
	return nil
}

// MyInvitations lists the pending invitations addressed to the caller's email.
func (a *API) MyInvitations(token string) ([]workspace.Invitation, error) {
	id, err := a.caller(token)
	if err != nil {
		return nil, err
	}
	if c := a.hostedClient(); c != nil {
		return a.hostedMine(c, id)
	}
	return a.workspaces.ForEmail(id.Email)
}

// AcceptInvitation joins the invitation's workspace with its role.
func (a *API) AcceptInvitation(token string, invitationID int64) (workspace.Invitation, error) {
	return a.respond(token, invitationID, "", true)
}

// RejectInvitation declines an invitation addressed to the caller.
func (a *API) RejectInvitation(token string, invitationID int64) error {
	_, err := a.respond(token, invitationID, "", false)
	return err
}

// AcceptInvitationToken accepts the invitation behind a pasted code or link.
func (a *API) AcceptInvitationToken(token, invitationToken string) (workspace.Invitation, error) {
	return a.respond(token, 0, invitationToken, true)
}

// respond answers invitation invitationID, or the one behind code.
// Accepting from the list needs a proven email (registering proves
// nothing); the code itself is the proof, as only the invitee's inbox or
// the Owner has it.
func (a *API) respond(token string, invitationID int64, code string, accept bool) (workspace.Invitation, error) {
	id, err := a.caller(token)
	if err != nil {
		return workspace.Invitation{}, err
	}
	if accept && code == "" && a.hostedClient() == nil && !a.auth.EmailVerified(id.ID) {
		return workspace.Invitation{}, auth.ErrEmailNotVerified
	}
	var inv workspace.Invitation
	if c := a.hostedClient(); c != nil {
		inv, err = a.hostedRespond(c, id, invitationID, code, accept)
	} else {
		inv, err = a.respondLocally(id, invitationID, code, accept)
	}
	if err != nil {
		return inv, err
	}
	action := "invitation.rejected"
	if accept {
		action = "invitation.accepted"
	}
	a.record(id, inv.WorkspaceID, action, map[string]any{"invitationId": inv.ID, "role": inv.Role})
	return inv, nil
}

func (a *API) respondLocally(id auth.Identity, invitationID int64, code string, accept bool) (workspace.Invitation, error) {
	if code != "" {
		var err error
		if invitationID, err = a.workspaces.InvitationIDByToken(code); err != nil {
			return workspace.Invitation{}, err
		}
	}
	return a.workspaces.Respond(invitationID, id.ID, id.Email, accept)
}

func inviteInfo(inv workspace.Invitation) mail.InviteInfo {
	return mail.InviteInfo{To: inv.Email, InvitedBy: inv.InvitedBy, WorkspaceName: inv.WorkspaceName, Role: string(inv.Role), ExpiresAt: inv.ExpiresAt}
}

// --- hosted auth server ---

func (a *API) hostedInvite(c *hosted.Client, id auth.Identity, workspaceID int64, email, role string) (workspace.Invitation, error) {
	bearer, err := hostedToken(id)
	if err != nil {
		return workspace.Invitation{}, err
	}
	w, err := a.workspaces.Get(id.ID, workspaceID)
	if err != nil {
		return workspace.Invitation{}, err
	}
	ref, err := a.workspaceRef(workspaceID)
	if err != nil {
		return workspace.Invitation{}, err
	}
	hi, err := c.Invite(bearer, hosted.Invitation{WorkspaceRef: ref, WorkspaceName: w.Name, Email: email, Role: role})
	if err != nil {
		return workspace.Invitation{}, err
	}
	sent := workspace.SentInvitation{RemoteID: remoteID(c, hi.ID), WorkspaceID: workspaceID, Email: hi.Email, Role: workspace.Role(role)}
	if err := a.workspaces.RecordSentInvitation(sent, id.ID); err != nil {
		return workspace.Invitation{}, fmt.Errorf("record the invitation for %s: %w", hi.Email, err)
	}
	inv := a.fromHosted(hi)
	a.record(id, workspaceID, "invitation.sent", map[string]any{"invitationId": inv.ID, "email": inv.Email, "role": inv.Role, "via": "hosted"})
	if hi.Code != "" {
		inv.Code, inv.Link = hi.Code, a.linkBase()+"invite?token="+hi.Code
		inv.Notice = fmt.Sprintf("The invitation for %s was created, but the shared account server could not email it (%s). "+
			"Give them this code or link another way.", inv.Email, hi.MailError)
	}
	return inv, nil
}

// hostedPending lists the workspace's open invitations on the server and
// adds the members who accepted since the last look.
func (a *API) hostedPending(c *hosted.Client, id auth.Identity, workspaceID int64) ([]workspace.Invitation, error) {
	bearer, err := hostedToken(id)
	if err != nil {
		return nil, err
	}
	ref, err := a.workspaceRef(workspaceID)
	if err != nil {
		return nil, err
	}
	sent, err := c.Sent(bearer, ref)
	if err != nil {
		return nil, err
	}
	now := a.workspaces.Now().Format(store.TimeFormat)
	out := []workspace.Invitation{}
	for _, hi := range sent {
		switch {
		case hi.Status == "accepted":
			a.applyAccepted(c, hi)
		case hi.Status == "pending" && hi.ExpiresAt > now:
			out = append(out, a.fromHosted(hi))
		}
	}
	return out, nil
}

// remoteID names a hosted invitation across servers.
func remoteID(c *hosted.Client, id int64) string { return fmt.Sprintf("%s#%d", c.BaseURL, id) }

// applyAccepted adds the invitee of an accepted hosted invitation (once),
// only when an Owner of this install created it, and with the workspace,
// email and role recorded then: the server (and any account on it) can
// neither forge an invitation nor raise its role.
func (a *API) applyAccepted(c *hosted.Client, hi hosted.Invitation) error {
	sent, err := a.workspaces.SentInvitationByRemoteID(remoteID(c, hi.ID))
	if err != nil {
		return err
	}
	if norm, _ := auth.NormalizeEmail(hi.Email); norm != sent.Email {
		return workspace.ErrForeignInvitation
	}
	u, err := a.auth.EnsureHostedMember(sent.Email, c.BaseURL)
	if err == nil {
		_, err = a.workspaces.ApplyRemoteInvitation(sent.RemoteID, sent.WorkspaceID, u.ID, sent.Role)
	}
	if err != nil {
		log.Printf("apply hosted invitation %d: %v", hi.ID, err)
	}
	return err
}

func (a *API) hostedRevoke(c *hosted.Client, id auth.Identity, workspaceID, invitationID int64) (workspace.Invitation, error) {
	bearer, err := hostedToken(id)
	if err != nil {
		return workspace.Invitation{}, err
	}
	hi, err := c.Answer(bearer, invitationID, "revoke")
	if err != nil {
		return workspace.Invitation{}, err
	}
	if a.localWorkspace(hi.WorkspaceRef) != workspaceID {
		return workspace.Invitation{}, workspace.ErrInvitationNotFound
	}
	return a.fromHosted(hi), nil
}

func (a *API) hostedMine(c *hosted.Client, id auth.Identity) ([]workspace.Invitation, error) {
	bearer, err := hostedToken(id)
	if err != nil {
		return nil, err
	}
	list, err := c.Mine(bearer)
	if err != nil {
		return nil, err
	}
	out := make([]workspace.Invitation, 0, len(list))
	for _, hi := range list {
		out = append(out, a.fromHosted(hi))
	}
	return out, nil
}

// hostedRespond answers on the server; an accepted invitation to a
// workspace of this install also takes effect here at once.
func (a *API) hostedRespond(c *hosted.Client, id auth.Identity, invitationID int64, code string, accept bool) (workspace.Invitation, error) {
	bearer, err := hostedToken(id)
	if err != nil {
		return workspace.Invitation{}, err
	}
	var hi hosted.Invitation
	switch {
	case code != "":
		hi, err = c.AcceptToken(bearer, code)
	case accept:
		hi, err = c.Answer(bearer, invitationID, "accept")
	default:
		hi, err = c.Answer(bearer, invitationID, "reject")
	}
	if err != nil {
		return workspace.Invitation{}, err
	}
	if ws := a.localWorkspace(hi.WorkspaceRef); accept && ws != 0 {
		if err := a.applyAccepted(c, hi); err != nil {
			return workspace.Invitation{}, err
		}
	}
	return a.fromHosted(hi), nil
}

// fromHosted shows a hosted invitation like a local one; WorkspaceID is 0
// for a workspace that lives in another install.
func (a *API) fromHosted(hi hosted.Invitation) workspace.Invitation {
	return workspace.Invitation{
		ID: hi.ID, WorkspaceID: a.localWorkspace(hi.WorkspaceRef), WorkspaceName: hi.WorkspaceName, Email: hi.Email,
		Role: workspace.Role(hi.Role), InvitedBy: hi.InvitedBy, CreatedAt: hi.CreatedAt, ExpiresAt: hi.ExpiresAt, Status: hi.Status,
	}
}

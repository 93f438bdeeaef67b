package mail

import (
	"fmt"
	"html"
	"net/url"
)

// MagicLink is the login email. linkBase is "leadnavigator://" (desktop)
// or "https://host/#/" (a served instance); the code is also given as is,
// to paste on the login screen.
func MagicLink(linkBase, to, token string) Message {
	link := linkBase + "magic?token=" + url.QueryEscape(token)
	return Message{
		To:      to,
		Subject: "Your Lead Navigator login link",
		Text: fmt.Sprintf("Open this link to log in to Lead Navigator (valid 5 minutes, usable once):\n\n%s\n\n"+
			"Or paste this code on the login screen:\n\n%s\n\nIf you did not ask for it, ignore this email.\n", link, token),
		HTML: fmt.Sprintf(`<p>Click to log in to <b>Lead Navigator</b> (valid 5 minutes, usable once):</p>`+
			`<p><a href="%s">Log in to Lead Navigator</a></p><p>Or paste this code on the login screen:</p>`+
			`<p><code>%s</code></p><p>If you did not ask for it, ignore this email.</p>`,
			html.EscapeString(link), html.EscapeString(token)),
	}
}

// InviteInfo is what an invitation email says.
type InviteInfo struct {
	To, InvitedBy, WorkspaceName, Role, ExpiresAt string
}

// Invite is the invitation email.
func Invite(linkBase string, inv InviteInfo, token string) Message {
	link := linkBase + "invite?token=" + url.QueryEscape(token)
	return Message{
		To:      inv.To,
		Subject: fmt.Sprintf("%s invited you to %q on Lead Navigator", inv.InvitedBy, inv.WorkspaceName),
		Text: fmt.Sprintf("%s invited you to the workspace %q as %s.\n\nOpen Lead Navigator, log in (or create an account) with this email "+
			"address and accept it under Members > My invitations, or open:\n\n%s\n\nInvitation code: %s\n\nThe invitation expires on %s (UTC).\n",
			inv.InvitedBy, inv.WorkspaceName, inv.Role, link, token, inv.ExpiresAt),
		HTML: fmt.Sprintf(`<p>%s invited you to the workspace <b>%s</b> as <b>%s</b>.</p>`+
			`<p><a href="%s">Open the invitation in Lead Navigator</a></p>`+
			`<p>Or log in with this email address and accept it under Members &gt; My invitations. Invitation code: <code>%s</code></p>`+
			`<p>The invitation expires on %s (UTC).</p>`,
			html.EscapeString(inv.InvitedBy), html.EscapeString(inv.WorkspaceName), html.EscapeString(inv.Role),
			html.EscapeString(link), html.EscapeString(token), html.EscapeString(inv.ExpiresAt)),
	}
}

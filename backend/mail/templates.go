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

// ConfirmRegistration is the email that finishes a registration: the link
// (or code) creates the account and logs in.
func ConfirmRegistration(linkBase, to, token string) Message {
	link := linkBase + "magic?token=" + url.QueryEscape(token)
	return Message{
		To:      to,
		Subject: "Confirm your Lead Navigator account",
		Text: fmt.Sprintf("Open this link to confirm your email address and finish creating your Lead Navigator account (valid 1 hour):\n\n%s\n\n"+
			"Or paste this code on the login screen:\n\n%s\n\nIf you did not create an account, ignore this email: nothing happens.\n", link, token),
		HTML: fmt.Sprintf(`<p>Click to confirm your email address and finish creating your <b>Lead Navigator</b> account (valid 1 hour):</p>`+
			`<p><a href="%s">Confirm my account</a></p><p>Or paste this code on the login screen:</p>`+
			`<p><code>%s</code></p><p>If you did not create an account, ignore this email: nothing happens.</p>`,
			html.EscapeString(link), html.EscapeString(token)),
	}
}

// AccountExists answers a registration for an address that already has an
// account: its owner gets a login link (token, or "" when the address got
// enough mail already) instead of a second account.
func AccountExists(linkBase, to, token string) Message {
	text := "Someone (perhaps you) tried to create a Lead Navigator account with this address, which already has one.\n\n"
	htmlText := "<p>Someone (perhaps you) tried to create a <b>Lead Navigator</b> account with this address, which already has one.</p>"
	if token != "" {
		link := linkBase + "magic?token=" + url.QueryEscape(token)
		text += fmt.Sprintf("If it was you, log in with this link (valid 5 minutes, usable once):\n\n%s\n\nOr paste this code on the login screen:\n\n%s\n\n", link, token)
		htmlText += fmt.Sprintf(`<p>If it was you, <a href="%s">log in with this link</a> (valid 5 minutes, usable once), or paste this code on the login screen: <code>%s</code></p>`,
			html.EscapeString(link), html.EscapeString(token))
	}
	return Message{To: to, Subject: "Your Lead Navigator account", Text: text + "If it was not you, ignore this email: your account is unchanged.\n",
		HTML: htmlText + "<p>If it was not you, ignore this email: your account is unchanged.</p>"}
}

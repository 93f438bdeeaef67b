// Package desktop holds the operating-system glue of the desktop app that
// is not Wails binding: the leadnavigator:// links that emails open.
//
// Links from emails open the app through the leadnavigator:// URL scheme:
// leadnavigator://magic?token=... (login) and leadnavigator://invite?token=...
// A member's "Copy link" of a dashboard view is leadnavigator://view/<page>?...
// The OS starts the binary with the URL as an argument; if the app is
// already running, Wails' single-instance lock forwards the arguments.
package desktop

import (
	"strings"
	"sync"
)

// LinkScheme is the URL scheme the app registers.
const LinkScheme = "leadnavigator://"

// LinkIn returns the first leadnavigator:// argument, if any.
func LinkIn(args []string) string {
	for _, a := range args {
		if strings.HasPrefix(a, LinkScheme) {
			return a
		}
	}
	return ""
}

// LinkEvent is the frontend event a link is delivered as: "invite-link" for
// invitations and "view-link" for dashboard views (to the shell),
// "magic-link" otherwise (to the login screen).
func LinkEvent(link string) string {
	switch {
	case strings.HasPrefix(link, LinkScheme+"invite"):
		return "invite-link"
	case strings.HasPrefix(link, LinkScheme+"view/"):
		return "view-link"
	}
	return "magic-link"
}

// PendingLink keeps the link the app was started with until the page asks
// for it, since an event emitted before the page listens would be lost.
type PendingLink struct {
	mu   sync.Mutex
	link string
}

// Remember keeps the first link among args, if any.
func (p *PendingLink) Remember(args []string) {
	if l := LinkIn(args); l != "" {
		p.mu.Lock()
		p.link = l
		p.mu.Unlock()
	}
}

// Take returns the kept link once ("" afterwards).
func (p *PendingLink) Take() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.link
	p.link = ""
	return l
}

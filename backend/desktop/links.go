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
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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

// RegisterURLScheme makes Linux desktops open leadnavigator:// links with
// this binary: a .desktop file with the scheme's MIME type, written once.
// macOS and Windows register schemes at install time (Info.plist, registry).
func RegisterURLScheme() {
	if runtime.GOOS != "linux" {
		return
	}
	exe, err := os.Executable()
	home, herr := os.UserHomeDir()
	if err != nil || herr != nil {
		return
	}
	dir := filepath.Join(home, ".local", "share", "applications")
	path := filepath.Join(dir, "lead-navigator-url.desktop")
	if _, err := os.Stat(path); err == nil {
		return
	}
	entry := "[Desktop Entry]\nType=Application\nName=Lead Navigator\nExec=\"" + exe + "\" %u\n" +
		"Terminal=false\nNoDisplay=true\nMimeType=x-scheme-handler/leadnavigator;\n"
	if os.MkdirAll(dir, 0o755) != nil || os.WriteFile(path, []byte(entry), 0o644) != nil {
		return
	}
	if xdg, err := exec.LookPath("xdg-mime"); err == nil {
		exec.Command(xdg, "default", filepath.Base(path), "x-scheme-handler/leadnavigator").Run()
	}
}

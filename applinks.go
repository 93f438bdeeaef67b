package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/options"
	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Links from emails open the app through the leadnavigator:// URL scheme:
// leadnavigator://magic?token=... (login) and leadnavigator://invite?token=...
// The OS starts the binary with the URL as an argument; if the app is
// already running, Wails' single-instance lock forwards the arguments to it.

const linkScheme = "leadnavigator://"

var pending struct {
	sync.Mutex
	link string
}

// linkIn returns the first leadnavigator:// argument, if any.
func linkIn(args []string) string {
	for _, a := range args {
		if strings.HasPrefix(a, linkScheme) {
			return a
		}
	}
	return ""
}

// rememberLink keeps a link from the command line until the page asks for it.
func rememberLink(args []string) {
	if l := linkIn(args); l != "" {
		pending.Lock()
		pending.link = l
		pending.Unlock()
	}
}

// PendingLink hands the login page the link the app was started with
// (once), since an event emitted before the page listens would be lost.
func (a *App) PendingLink() string {
	pending.Lock()
	defer pending.Unlock()
	l := pending.link
	pending.link = ""
	return l
}

// singleInstance forwards links opened while the app runs to the page:
// "magic-link" to the login screen, "invite-link" to the shell.
// No lock for --smoke, so a window test never hands off to a running app.
func (a *App) singleInstance() *options.SingleInstanceLock {
	if a.smoke {
		return nil
	}
	return &options.SingleInstanceLock{
		UniqueId: "lead-navigator-6f1d2c",
		OnSecondInstanceLaunch: func(d options.SecondInstanceData) {
			l := linkIn(d.Args)
			if l == "" || a.ctx == nil {
				return
			}
			event := "magic-link"
			if strings.HasPrefix(l, linkScheme+"invite") {
				event = "invite-link"
			}
			wailsruntime.EventsEmit(a.ctx, event, l)
			wailsruntime.WindowUnminimise(a.ctx)
			wailsruntime.Show(a.ctx)
		},
	}
}

// registerURLScheme makes Linux desktops open leadnavigator:// links with
// this binary: a .desktop file with the scheme's MIME type, written once.
// macOS and Windows register schemes at install time (Info.plist, registry).
func registerURLScheme() {
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

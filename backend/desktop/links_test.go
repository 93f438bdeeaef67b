package desktop

import (
	"path/filepath"
	"testing"
)

func TestLinksFromArguments(t *testing.T) {
	args := []string{"--data-dir", "/tmp/x", "leadnavigator://invite?token=abc"}
	if got := LinkIn(args); got != "leadnavigator://invite?token=abc" {
		t.Fatalf("LinkIn = %q", got)
	}
	if LinkIn([]string{"https://example.com"}) != "" {
		t.Fatal("a web link was taken for an app link")
	}
	if LinkEvent("leadnavigator://invite?token=abc") != "invite-link" || LinkEvent("leadnavigator://magic?token=x") != "magic-link" ||
		LinkEvent("leadnavigator://view/buyers?ws=2&f.channel=Email") != "view-link" {
		t.Fatal("wrong link events")
	}
	var p PendingLink
	p.Remember([]string{"leadnavigator://magic?token=x"})
	p.Remember(nil) // no link: keeps the first
	if got := p.Take(); got != "leadnavigator://magic?token=x" {
		t.Fatalf("Take = %q", got)
	}
	if got := p.Take(); got != "" {
		t.Fatalf("second Take = %q, want empty", got)
	}
}

func TestRegisterURLSchemeWritesOneDesktopEntry(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("PATH", "") // no xdg-mime in the test
	RegisterURLScheme()
	RegisterURLScheme() // idempotent
	entries, err := filepathGlob(home)
	if err != nil || len(entries) != 1 {
		t.Fatalf("desktop entries %v, %v", entries, err)
	}
}

func filepathGlob(home string) ([]string, error) {
	return filepath.Glob(filepath.Join(home, ".local", "share", "applications", "*.desktop"))
}

package desktop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A later binary at another path (a package installed after a development
// build, a moved AppImage) takes the registration over; the same binary
// leaves the file alone.
func TestSchemeEntryFollowsTheRunningBinary(t *testing.T) {
	dir := t.TempDir()
	if !writeSchemeEntry(dir, "/home/ann/src/lead-navigator/build/bin/lead-navigator") {
		t.Fatal("first registration wrote nothing")
	}
	if writeSchemeEntry(dir, "/home/ann/src/lead-navigator/build/bin/lead-navigator") {
		t.Fatal("the same binary rewrote its entry")
	}
	if !writeSchemeEntry(dir, "/usr/bin/lead-navigator") {
		t.Fatal("a binary at a new path did not take the registration over")
	}
	raw, err := os.ReadFile(filepath.Join(dir, schemeEntryName))
	if err != nil {
		t.Fatal(err)
	}
	entry := string(raw)
	if !strings.Contains(entry, "\nExec=\"/usr/bin/lead-navigator\" %u\n") || strings.Contains(entry, "/home/ann") {
		t.Fatalf("entry does not name the new binary:\n%s", entry)
	}
	if !strings.Contains(entry, "MimeType=x-scheme-handler/leadnavigator;") {
		t.Fatalf("entry lacks the scheme:\n%s", entry)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
}

func TestExecQuoteEscapesReservedCharacters(t *testing.T) {
	got := execQuote(`/opt/My "Apps"/$HOME/lead-navigator`)
	want := `"/opt/My \"Apps\"/\$HOME/lead-navigator"`
	if got != want {
		t.Fatalf("execQuote = %s, want %s", got, want)
	}
}

// An AppImage runs from a new mount point each start; the entry names the
// AppImage file ($APPIMAGE) so links keep working.
func TestAppImageRegistersTheImageFile(t *testing.T) {
	t.Setenv("APPIMAGE", "/home/ann/Apps/lead-navigator_0.1.0_linux_amd64.AppImage")
	exe, err := runningBinary()
	if err != nil || exe != "/home/ann/Apps/lead-navigator_0.1.0_linux_amd64.AppImage" {
		t.Fatalf("runningBinary = %q, %v", exe, err)
	}
}

func TestRegisterURLSchemeHonoursXDGDataHome(t *testing.T) {
	home, data := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("APPIMAGE", "")
	t.Setenv("PATH", "") // no xdg-mime in the test
	RegisterURLScheme()
	if _, err := os.Stat(filepath.Join(data, "applications", schemeEntryName)); err != nil {
		t.Fatalf("no entry under XDG_DATA_HOME: %v", err)
	}
}

package desktop

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// schemeEntryName is the per-user desktop entry that hands
// leadnavigator:// links to the binary that wrote it.
const schemeEntryName = "lead-navigator-url.desktop"

// RegisterURLScheme makes Linux desktops open leadnavigator:// links with
// this binary: a per-user .desktop file with the scheme's MIME type. It is
// rewritten whenever it names another binary (a newer install elsewhere, a
// moved AppImage, a development build run before the package was
// installed), so a link never starts a stale or deleted path. macOS and
// Windows register schemes at install time (Info.plist, the installer).
func RegisterURLScheme() {
	if runtime.GOOS != "linux" {
		return
	}
	exe, err := runningBinary()
	home, herr := os.UserHomeDir()
	if err != nil || herr != nil {
		return
	}
	dir := filepath.Join(dataHome(home), "applications")
	if !writeSchemeEntry(dir, exe) {
		return
	}
	if xdg, err := exec.LookPath("xdg-mime"); err == nil {
		exec.Command(xdg, "default", schemeEntryName, "x-scheme-handler/leadnavigator").Run()
	}
}

// runningBinary is the path the desktop should start: inside an AppImage
// the executable sits in a mount point that changes on every start, so
// the AppImage file itself ($APPIMAGE, set by its runtime) is named.
func runningBinary() (string, error) {
	if p := os.Getenv("APPIMAGE"); p != "" {
		return p, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return exe, nil
}

// dataHome is $XDG_DATA_HOME, or ~/.local/share when it is unset.
func dataHome(home string) string {
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return d
	}
	return filepath.Join(home, ".local", "share")
}

// schemeEntry is the desktop entry text for exe.
func schemeEntry(exe string) string {
	return "[Desktop Entry]\nType=Application\nName=Lead Navigator\nExec=" + execQuote(exe) + " %u\n" +
		"Terminal=false\nNoDisplay=true\nMimeType=x-scheme-handler/leadnavigator;\n"
}

// execQuote quotes a path for a desktop entry's Exec key (the desktop entry
// spec: double quotes, with ", `, $ and \ escaped by a backslash).
func execQuote(path string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	return `"` + r.Replace(path) + `"`
}

// writeSchemeEntry writes the entry into dir unless it already names exe;
// it reports whether it wrote one.
func writeSchemeEntry(dir, exe string) bool {
	path := filepath.Join(dir, schemeEntryName)
	want := schemeEntry(exe)
	if have, err := os.ReadFile(path); err == nil && string(have) == want {
		return false
	}
	if os.MkdirAll(dir, 0o755) != nil {
		return false
	}
	// Write then rename, so a desktop never reads half an entry.
	tmp := path + ".tmp"
	if os.WriteFile(tmp, []byte(want), 0o644) != nil {
		return false
	}
	return os.Rename(tmp, path) == nil
}

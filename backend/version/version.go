// Package version is the one source of the app's version: the VERSION file
// beside this file, embedded into the binary. Everything that shows or
// stamps a version reads it from here or from that file: `lead-navigator
// --version`, the About section in Settings (imported by the frontend at
// build time), wails.json's productVersion (kept equal by a test and by
// scripts/package/set-version.sh) and the installer names in dist/.
package version

import (
	_ "embed"
	"fmt"
	"runtime"
	"strings"
)

//go:embed VERSION
var file string

// commit is the git revision of a release build, set by the packaging
// scripts with -ldflags "-X leadnavigator/backend/version.commit=...";
// empty in a plain `make build`.
var commit string

// Number is the version, e.g. "0.1.0" (no leading v).
func Number() string { return strings.TrimSpace(file) }

// Commit is the short git revision the binary was built from, or "".
func Commit() string { return commit }

// Line is what `lead-navigator --version` prints, e.g.
// "lead-navigator 0.1.0 (linux/amd64, commit 1a2b3c4)".
func Line() string {
	detail := runtime.GOOS + "/" + runtime.GOARCH
	if commit != "" {
		detail += ", commit " + commit
	}
	return fmt.Sprintf("lead-navigator %s (%s)", Number(), detail)
}

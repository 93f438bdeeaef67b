package version

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The version is a plain semantic version: the installer names, the
// Windows version resource (four numeric parts) and the macOS bundle
// version all need that form.
func TestVersionIsSemantic(t *testing.T) {
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(Number()) {
		t.Fatalf("VERSION %q is not MAJOR.MINOR.PATCH", Number())
	}
	if !strings.HasPrefix(Line(), "lead-navigator "+Number()+" (") {
		t.Fatalf("Line() = %q", Line())
	}
}

// wails.json's productVersion feeds the Windows version resource and the
// macOS Info.plist; it must not drift from VERSION.
func TestWailsJSONHasTheSameVersion(t *testing.T) {
	raw, err := os.ReadFile("../../wails.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Info struct {
			ProductVersion string `json:"productVersion"`
		} `json:"info"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("wails.json: %v", err)
	}
	if cfg.Info.ProductVersion != Number() {
		t.Fatalf("wails.json productVersion %q, backend/version/VERSION %q: run scripts/package/set-version.sh %s",
			cfg.Info.ProductVersion, Number(), Number())
	}
}

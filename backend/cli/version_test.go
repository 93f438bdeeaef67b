package cli

import (
	"bytes"
	"strings"
	"testing"

	"leadnavigator/backend/version"
)

func TestVersionFlagPrintsTheVersionLine(t *testing.T) {
	for _, arg := range []string{"--version", "-version", "version"} {
		if !IsSubcommand([]string{arg}) {
			t.Fatalf("%s is not routed to the CLI (it would open the window)", arg)
		}
		var out, errOut bytes.Buffer
		if code := Run([]string{arg}, &out, &errOut, nil); code != 0 {
			t.Fatalf("%s: exit %d, %s", arg, code, errOut.String())
		}
		if got := strings.TrimSpace(out.String()); got != version.Line() || !strings.Contains(got, version.Number()) {
			t.Fatalf("%s printed %q, want %q", arg, got, version.Line())
		}
	}
}

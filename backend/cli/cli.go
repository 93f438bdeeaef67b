// Package cli implements the binary's headless subcommands (no display
// needed): serve, sample, import, auth-server.
package cli

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"leadnavigator/backend/version"
)

// command runs one subcommand with its arguments (after the name).
type command func(args []string, stdout, stderr io.Writer, assets fs.FS) error

var commands = map[string]command{
	"serve":  runServe,
	"sample": runSample,
	"import": runImport,

	"auth-server":  runAuthServer,
	"audit-verify": runAuditVerify,

	"--version": runVersion,
	"-version":  runVersion,
	"version":   runVersion,
}

// runVersion prints the version line (lead-navigator --version).
func runVersion(_ []string, stdout, _ io.Writer, _ fs.FS) error {
	_, err := fmt.Fprintln(stdout, version.Line())
	return err
}

// IsSubcommand reports whether args (os.Args[1:]) name a headless subcommand.
func IsSubcommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	_, ok := commands[args[0]]
	return ok
}

// Run executes the subcommand in args and returns the process exit code.
func Run(args []string, stdout, stderr io.Writer, assets fs.FS) int {
	cmd := commands[args[0]]
	if err := cmd(args[1:], stdout, stderr, assets); err != nil {
		fmt.Fprintf(stderr, "lead-navigator %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// DefaultDataDir is where the app keeps its database and workspace files:
// the OS config dir (XDG_CONFIG_HOME on Linux), or LEAD_NAVIGATOR_DATA_DIR.
func DefaultDataDir() string {
	if d := os.Getenv("LEAD_NAVIGATOR_DATA_DIR"); d != "" {
		return d
	}
	base, err := os.UserConfigDir()
	if err != nil {
		base = "."
	}
	return filepath.Join(base, "lead-navigator")
}

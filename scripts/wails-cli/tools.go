//go:build tools

// Package wailscli pins the Wails CLI and the dependency versions it is built
// with: `go install ...@v2.9.2` picks golang.org/x/tools v0.17.0, which does
// not compile with Go >= 1.25, so `make deps` builds the CLI from this module.
package wailscli

import _ "github.com/wailsapp/wails/v2/cmd/wails"

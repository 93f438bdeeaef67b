// Package packaging holds the installer scripts' checks (bundle_test.go):
// `make package` and its scripts live beside it. See docs/packaging.md.
package packaging

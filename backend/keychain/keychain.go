// Package keychain keeps secrets (the session token, the session signing
// key, the Gemini API key) in the operating system's keychain through
// go-keyring.
package keychain

import (
	"errors"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service name all entries are filed under.
const Service = "lead-navigator"

// Well-known entry names.
const (
	SessionToken = "session-token"
	SigningKey   = "session-signing-key"
	GeminiAPIKey = "gemini-api-key"
	SMTPPassword = "smtp-password"
)

// ErrNotFound is returned by Get for a missing entry.
var ErrNotFound = errors.New("secret not found in keychain")

// Store reads and writes secrets.
type Store interface {
	Get(name string) (string, error)
	Set(name, value string) error
	Delete(name string) error
	// Backend describes where secrets are kept, for the Settings page.
	Backend() string
}

// Open picks the secret store at start: the OS keychain if a set/get/delete
// of a probe entry works, otherwise the encrypted file fallback in dataDir
// (headless Linux without Secret Service / D-Bus).
func Open(dataDir string) (Store, error) {
	if err := probe(OS{}); err == nil {
		return OS{}, nil
	}
	return NewFileStore(dataDir)
}

func probe(s Store) error {
	const name = "probe"
	if err := s.Set(name, "ok"); err != nil {
		return err
	}
	v, err := s.Get(name)
	if err == nil && v != "ok" {
		err = errors.New("keychain returned a different value")
	}
	if derr := s.Delete(name); err == nil {
		err = derr
	}
	return err
}

// OS is the operating system keychain (Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows).
type OS struct{}

func (OS) Get(name string) (string, error) {
	v, err := keyring.Get(Service, name)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNotFound
	}
	return v, err
}

func (OS) Set(name, value string) error { return keyring.Set(Service, name, value) }

func (OS) Delete(name string) error {
	err := keyring.Delete(Service, name)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

func (OS) Backend() string { return "OS keychain" }

// Mock switches go-keyring to its in-memory mock backend and returns the
// OS store over it; tests only.
func Mock() Store {
	keyring.MockInit()
	return OS{}
}

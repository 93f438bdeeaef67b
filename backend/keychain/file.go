package keychain

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FileStore is the fallback when no OS keychain is reachable: secrets in
// <dataDir>/secrets.enc, sealed with AES-256-GCM.
//
// What this protects against, honestly: the key is sha256(random per-install
// key file (0600) || machine id). Someone who copies only secrets.enc or
// app.db (a backup, a synced folder, a support bundle) or copies the data
// directory to another machine cannot read the secrets. It does NOT protect
// against another process running as the same OS user on this machine (or
// root): they can read the key file and the machine id just like the app.
// The Settings page says so when this backend is in use.
type FileStore struct {
	mu      sync.Mutex
	path    string
	keyPath string
}

// NewFileStore prepares the encrypted file store under dir.
func NewFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	return &FileStore{path: filepath.Join(dir, "secrets.enc"), keyPath: filepath.Join(dir, "secrets.key")}, nil
}

// Backend implements Store.
func (f *FileStore) Backend() string {
	return "encrypted file (no OS keychain available): " + f.path
}

// Get implements Store.
func (f *FileStore) Get(name string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return "", err
	}
	v, ok := m[name]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set implements Store.
func (f *FileStore) Set(name, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	m[name] = value
	return f.save(m)
}

// Delete implements Store.
func (f *FileStore) Delete(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	delete(m, name)
	return f.save(m)
}

func (f *FileStore) aead() (cipher.AEAD, error) {
	raw, err := os.ReadFile(f.keyPath)
	if errors.Is(err, os.ErrNotExist) {
		raw = make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		if err := os.WriteFile(f.keyPath, raw, 0o600); err != nil {
			return nil, fmt.Errorf("create secrets key file: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("read secrets key file: %w", err)
	}
	key := sha256.Sum256(append(raw, machineID()...))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (f *FileStore) load() (map[string]string, error) {
	sealed, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	g, err := f.aead()
	if err != nil {
		return nil, err
	}
	if len(sealed) < g.NonceSize() {
		return nil, fmt.Errorf("%s is truncated", f.path)
	}
	plain, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], []byte("lead-navigator secrets"))
	if err != nil {
		return nil, fmt.Errorf("%s cannot be decrypted (copied from another machine or damaged)", f.path)
	}
	m := map[string]string{}
	return m, json.Unmarshal(plain, &m)
}

func (f *FileStore) save(m map[string]string) error {
	g, err := f.aead()
	if err != nil {
		return err
	}
	plain, _ := json.Marshal(m)
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	sealed := g.Seal(nonce, nonce, plain, []byte("lead-navigator secrets"))
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, sealed, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, f.path)
}

// machineID binds the key to this machine where the OS offers an id.
func machineID() []byte {
	for _, p := range []string{"/etc/machine-id", "/var/lib/dbus/machine-id"} {
		if b, err := os.ReadFile(p); err == nil {
			return []byte(strings.TrimSpace(string(b)))
		}
	}
	host, _ := os.Hostname()
	return []byte(host)
}

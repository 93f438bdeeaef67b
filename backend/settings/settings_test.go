package settings

import (
	"path/filepath"
	"strings"
	"testing"

	"leadnavigator/backend/mail"
	"leadnavigator/backend/store"
)

func TestSaveLoadAndValidation(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := New(db)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Load(); d.SMTP.Port != 587 || !d.SMTP.StartTLS {
		t.Fatalf("defaults: %+v", d)
	}
	bad := map[string]Settings{
		"port":        {SMTP: mail.Config{Port: 70000}},
		"From":        {SMTP: mail.Config{Host: "smtp.example.com", Port: 587}},
		"idle":        {IdleTimeoutMinutes: -1},
		"https":       {HostedAuthURL: "http://auth.example.com"},
		"not a URL":   {HostedAuthURL: "auth"},
		"public URL:": {PublicURL: "ftp://x"},
	}
	for want, v := range bad {
		if _, err := s.Save(v); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: got %v, want an error mentioning %q", v, err, want)
		}
	}
	saved, err := s.Save(Settings{SMTP: mail.Config{Host: " smtp.example.com ", Port: 465, From: "a@example.com", Password: "never-stored"},
		HostedAuthURL: "http://127.0.0.1:8790/", IdleTimeoutMinutes: 30})
	if err != nil || saved.SMTP.Host != "smtp.example.com" || saved.HostedAuthURL != "http://127.0.0.1:8790" {
		t.Fatalf("%+v %v", saved, err)
	}
	var raw string
	db.QueryRow(`SELECT value FROM settings WHERE key = 'app'`).Scan(&raw)
	if strings.Contains(raw, "never-stored") {
		t.Fatal("SMTP password stored in SQLite")
	}
	a, _ := s.InstallID()
	b, _ := s.InstallID()
	if a == "" || a != b {
		t.Fatalf("install id %q then %q", a, b)
	}
}

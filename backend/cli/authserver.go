package cli

import (
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"leadnavigator/backend/audit"
	"leadnavigator/backend/auth"
	"leadnavigator/backend/hosted"
	"leadnavigator/backend/httpguard"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/mail"
	"leadnavigator/backend/settings"
	"leadnavigator/backend/store"
)

// runAuthServer: lead-navigator auth-server --addr 127.0.0.1:8790 --db FILE
// [--host NAMES] [--tls-cert F --tls-key F | --behind-tls-proxy | --insecure-http]
// [--smtp-host H --smtp-port P --smtp-from A --smtp-user U --smtp-starttls]
// with the SMTP password in LN_AUTH_SMTP_PASSWORD.
func runAuthServer(args []string, stdout, stderr io.Writer, _ fs.FS) error {
	app, err := startAuthServer(args, stderr)
	if err != nil {
		return err
	}
	defer app.close()
	fmt.Fprintf(stdout, "auth server on %s://%s\n", app.flags.scheme(), app.ln.Addr())
	return app.flags.run(app.ln, app.handler)
}

// startAuthServer parses the flags, opens the database and listens.
func startAuthServer(args []string, stderr io.Writer) (*serveApp, error) {
	fl := flag.NewFlagSet("auth-server", flag.ContinueOnError)
	fl.SetOutput(stderr)
	lf := addListenFlags(fl, "127.0.0.1:8790")
	dbPath := fl.String("db", filepath.Join(DefaultDataDir(), "auth-server.db"), "SQLite file for accounts and invitations")
	linkBase := fl.String("link-base", "leadnavigator://", "prefix of links in emails")
	var smtpCfg mail.Config
	fl.StringVar(&smtpCfg.Host, "smtp-host", "", "SMTP server for login links and invitations")
	fl.IntVar(&smtpCfg.Port, "smtp-port", 587, "SMTP port")
	fl.StringVar(&smtpCfg.From, "smtp-from", "", "From address")
	fl.StringVar(&smtpCfg.Username, "smtp-user", "", "SMTP user name (password: env LN_AUTH_SMTP_PASSWORD)")
	fl.BoolVar(&smtpCfg.StartTLS, "smtp-starttls", true, "use STARTTLS")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	secure, err := lf.check()
	if err != nil {
		return nil, err
	}
	smtpCfg.Password = os.Getenv("LN_AUTH_SMTP_PASSWORD")
	srv, closeDB, err := openAuthServer(*dbPath, smtpCfg)
	if err != nil {
		return nil, err
	}
	srv.LinkBase = *linkBase
	srv.ConfirmEmail = smtpCfg.Host != ""
	ln, err := lf.listen()
	if err != nil {
		closeDB()
		return nil, err
	}
	h := httpguard.Protect(srv.Handler(), httpguard.Options{Hosts: lf.allowedHosts(ln), TLS: secure})
	return &serveApp{flags: lf, ln: ln, handler: h, close: func() { ln.Close(); closeDB() }}, nil
}

// openAuthServer opens the database and the signing key, which lives in an
// encrypted file next to the database (a server has no desktop keychain).
func openAuthServer(dbPath string, smtpCfg mail.Config) (*hosted.Server, func(), error) {
	db, err := store.Open(dbPath)
	if err != nil {
		return nil, nil, err
	}
	srv, err := newAuthServer(db, filepath.Dir(dbPath), smtpCfg)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return srv, func() { db.Close() }, nil
}

func newAuthServer(db *sql.DB, secretsDir string, smtpCfg mail.Config) (*hosted.Server, error) {
	secrets, err := keychain.NewFileStore(secretsDir)
	if err != nil {
		return nil, err
	}
	signing, err := serverSigningKey(secrets)
	if err != nil {
		return nil, err
	}
	a, err := auth.New(db, signing, auth.Config{})
	if err != nil {
		return nil, err
	}
	return hosted.NewServer(db, a, func(m mail.Message) error { return mail.Send(smtpCfg, m) })
}

func serverSigningKey(s keychain.Store) ([]byte, error) {
	const name = "auth-server-signing-key"
	if enc, err := s.Get(name); err == nil {
		if k, derr := base64.StdEncoding.DecodeString(enc); derr == nil && len(k) >= 32 {
			return k, nil
		}
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, s.Set(name, base64.StdEncoding.EncodeToString(k))
}

// runAuditVerify: lead-navigator audit-verify [--data-dir DIR] checks the
// audit trail's hash chain of an install; exit status 1 when tampered.
func runAuditVerify(args []string, stdout, stderr io.Writer, _ fs.FS) error {
	fl := flag.NewFlagSet("audit-verify", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dataDir := fl.String("data-dir", DefaultDataDir(), "the app's data directory")
	if err := fl.Parse(args); err != nil {
		return err
	}
	path := filepath.Join(*dataDir, "app.db")
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no app database at %s", path)
	}
	db, err := store.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	l, err := openAuditLog(db, *dataDir)
	if err != nil {
		return err
	}
	v, err := l.Verify()
	if err != nil {
		return err
	}
	if !v.OK {
		return fmt.Errorf("audit trail tampered: %s (entry #%d, %d entries checked)", v.Reason, v.FirstBadID, v.Checked)
	}
	fmt.Fprintf(stdout, "audit trail intact: %d entries checked\n", v.Checked)
	return nil
}

// openAuditLog opens the audit trail of the install in dataDir with its
// key and anchored head from the install's keychain.
func openAuditLog(db *sql.DB, dataDir string) (*audit.Log, error) {
	keys, err := keychain.Open(dataDir)
	if err != nil {
		return nil, err
	}
	st, err := settings.New(db)
	if err != nil {
		return nil, err
	}
	install, err := st.InstallID()
	if err != nil {
		return nil, err
	}
	return audit.New(db, keys, install)
}

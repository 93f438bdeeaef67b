package cli

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"leadnavigator/backend/api"
	"leadnavigator/backend/httpguard"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/serve"
)

// listenFlags are the network and TLS flags serve and auth-server share.
type listenFlags struct {
	addr, cert, key       *string
	hosts                 *string
	behindProxy, insecure *bool
}

func addListenFlags(fl *flag.FlagSet, defaultAddr string) listenFlags {
	return listenFlags{
		addr:        fl.String("addr", defaultAddr, "listen address (keep it on loopback unless TLS protects it)"),
		cert:        fl.String("tls-cert", "", "TLS certificate (PEM); serve HTTPS when set with --tls-key"),
		key:         fl.String("tls-key", "", "TLS private key (PEM)"),
		hosts:       fl.String("host", "", "comma-separated host names (host or host:port) this server answers for besides 127.0.0.1, localhost and [::1]"),
		behindProxy: fl.Bool("behind-tls-proxy", false, "a reverse proxy terminates TLS in front of this server (allows a network address without --tls-cert)"),
		insecure:    fl.Bool("insecure-http", false, "allow plain HTTP on a network address (trusted test networks only)"),
	}
}

// check validates the flag combination and returns whether clients reach
// the server over TLS.
func (l listenFlags) check() (bool, error) {
	if (*l.cert == "") != (*l.key == "") {
		return false, fmt.Errorf("--tls-cert and --tls-key go together")
	}
	hasTLS := *l.cert != ""
	if err := httpguard.CheckListen(*l.addr, hasTLS, *l.behindProxy, *l.insecure); err != nil {
		return false, err
	}
	return hasTLS || *l.behindProxy, nil
}

func (l listenFlags) allowedHosts(ln net.Listener) []string {
	return httpguard.LoopbackHosts(ln.Addr().String(), strings.Split(*l.hosts, ",")...)
}

// listen opens the address with the connection cap.
func (l listenFlags) listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", *l.addr)
	if err != nil {
		return nil, err
	}
	return httpguard.LimitListener(ln, httpguard.DefaultLimits.MaxConnections), nil
}

// run serves h until SIGINT, over TLS when a certificate is set.
func (l listenFlags) run(ln net.Listener, h http.Handler) error {
	httpServer := httpguard.Server(h, httpguard.DefaultLimits)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	go func() { <-stop; httpServer.Close() }()
	var err error
	if *l.cert != "" {
		err = httpServer.ServeTLS(ln, *l.cert, *l.key)
	} else {
		err = httpServer.Serve(ln)
	}
	if err == http.ErrServerClosed {
		return nil
	}
	return err
}

func (l listenFlags) scheme() string {
	if *l.cert != "" {
		return "https"
	}
	return "http"
}

// runServe: lead-navigator serve --addr 127.0.0.1:8765 [--data-dir DIR] [--mock-keyring]
// [--host NAMES] [--tls-cert F --tls-key F | --behind-tls-proxy | --insecure-http]
func runServe(args []string, stdout, stderr io.Writer, assets fs.FS) error {
	app, err := startServe(args, stderr, assets)
	if err != nil {
		return err
	}
	defer app.close()
	fmt.Fprintf(stdout, "serving on %s://%s\n", app.flags.scheme(), app.ln.Addr())
	return app.flags.run(app.ln, app.handler)
}

// serveApp is a parsed, listening serve instance (tests run it in process).
type serveApp struct {
	flags   listenFlags
	ln      net.Listener
	handler http.Handler
	api     *api.API
	close   func()
}

func startServe(args []string, stderr io.Writer, assets fs.FS) (*serveApp, error) {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	lf := addListenFlags(fl, "127.0.0.1:8765")
	dataDir := fl.String("data-dir", DefaultDataDir(), "directory for the app database and workspace files")
	mockKeyring := fl.Bool("mock-keyring", false, "keep secrets in memory instead of the OS keychain (tests)")
	assetsDir := fl.String("assets", "", "serve the frontend from this directory instead of the embedded build (development)")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	secure, err := lf.check()
	if err != nil {
		return nil, err
	}
	cfg := api.Config{DataDir: *dataDir, BrowserClient: true}
	if *mockKeyring {
		cfg.Keyring = keychain.Mock()
	}
	if *assetsDir != "" {
		assets = os.DirFS(*assetsDir)
	}
	events := serve.NewBroker()
	cfg.Events = events
	a, err := api.New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := lf.listen()
	if err != nil {
		api.Close(a)
		return nil, err
	}
	srv := serve.New(serve.NewDispatcher(a, serve.DesktopOnly...), assets, serve.Options{
		UploadDir: filepath.Join(*dataDir, "uploads"), ExportDir: filepath.Join(*dataDir, "exports"),
		Accounts: accounts{a}, Events: events, SecureCookie: secure,
		Guard: httpguard.Options{Hosts: lf.allowedHosts(ln), TLS: secure},
	})
	stopJanitor := make(chan struct{})
	go srv.RunJanitor(5*time.Minute, stopJanitor)
	return &serveApp{flags: lf, ln: ln, handler: srv.Handler(), api: a, close: func() {
		close(stopJanitor)
		ln.Close()
		api.Close(a)
	}}, nil
}

// accounts gives the server the session checks of the API.
type accounts struct{ a *api.API }

func (c accounts) UserOf(token string) (int64, error) { return api.SessionUser(c.a, token) }
func (c accounts) CanDownload(token, name string) error {
	return api.AuthorizeDownload(c.a, token, name)
}

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

	"leadnavigator/backend/api"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/serve"
)

// runServe: lead-navigator serve --addr 127.0.0.1:8765 [--data-dir DIR] [--mock-keyring]
func runServe(args []string, stdout, stderr io.Writer, assets fs.FS) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8765", "listen address (keep it on loopback)")
	dataDir := fl.String("data-dir", DefaultDataDir(), "directory for the app database and workspace files")
	mockKeyring := fl.Bool("mock-keyring", false, "keep secrets in memory instead of the OS keychain (tests)")
	assetsDir := fl.String("assets", "", "serve the frontend from this directory instead of the embedded build (development)")
	if err := fl.Parse(args); err != nil {
		return err
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
		return err
	}
	defer api.Close(a)
	srv := serve.New(serve.NewDispatcher(a), assets,
		filepath.Join(*dataDir, "uploads"), filepath.Join(*dataDir, "exports"), events)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "serving on http://%s\n", ln.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	httpServer := &http.Server{Handler: srv.Handler()}
	go func() { <-stop; httpServer.Close() }()
	if err := httpServer.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// Lead Navigator: a desktop app for analysing lead, buyer and visitor files.
// With a subcommand (serve, sample, import, --version, ...) it runs
// headless; without one it opens the Wails window.
package main

import (
	_ "embed"
	"flag"
	"log"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"leadnavigator/backend/api"
	"leadnavigator/backend/cli"
	"leadnavigator/backend/desktop"
	_ "leadnavigator/backend/msvcrtshim" // links the Debian-cross-built Windows binary (tag msvcrtshim)
	"leadnavigator/frontend"
)

// appIcon is the window icon on Linux (macOS and Windows take theirs from build/).
//
//go:embed build/appicon.png
var appIcon []byte

func main() {
	if cli.IsSubcommand(os.Args[1:]) {
		desktop.AttachConsole() // Windows: print in the console that started us
		os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr, frontend.Assets()))
	}
	dataDir := flag.String("data-dir", cli.DefaultDataDir(), "directory for the app database and workspace files")
	smoke := flag.Bool("smoke", false, "quit as soon as the page has loaded (window test)")
	smokeDashboard := flag.Bool("smoke-dashboard", false, "with a login link argument: log in, open the Buyers dashboard and quit once its charts are drawn (window test)")
	flag.Parse()

	app := &App{events: &wailsEvents{}, smoke: *smoke || *smokeDashboard, smokeDashboard: *smokeDashboard}
	app.link.Remember(flag.Args())
	if !app.smoke {
		desktop.RegisterURLScheme()
	}
	backend, err := api.New(api.Config{DataDir: *dataDir, Events: app.events})
	if err != nil {
		log.Fatal(err)
	}
	defer api.Close(backend)

	err = wails.Run(&options.App{
		Title:       "Lead Navigator",
		Width:       1360,
		Height:      860,
		MinWidth:    1024,
		MinHeight:   680,
		AssetServer: &assetserver.Options{Assets: frontend.Assets()},
		OnStartup:   app.startup,
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true},
		Bind:        []interface{}{app, backend},
		Linux:       &linux.Options{Icon: appIcon, ProgramName: "lead-navigator"},
		// macOS hands leadnavigator:// links to the running app as Apple
		// Events, not as arguments (Linux and Windows start a second
		// instance, which forwards them through the single-instance lock).
		Mac: &mac.Options{OnUrlOpen: func(url string) { openLink(app, url) }},

		SingleInstanceLock: app.singleInstance(),
	})
	if err != nil {
		log.Fatal(err)
	}
}

// openLink takes a link macOS delivered: before the window has started it
// is kept for the page to ask for (PendingLink), afterwards it goes to the
// page as the same event a link from a second instance becomes.
func openLink(app *App, link string) {
	if desktop.LinkIn([]string{link}) == "" {
		return
	}
	if app.ctx == nil {
		app.link.Remember([]string{link})
		return
	}
	runtime.EventsEmit(app.ctx, desktop.LinkEvent(link), link)
	runtime.WindowUnminimise(app.ctx)
	runtime.Show(app.ctx)
}

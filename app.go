package main

import (
	"context"
	"strconv"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"leadnavigator/backend/desktop"
)

// App binds the desktop-only pieces (native dialogs, file drop, app links,
// window lifecycle) to the frontend. Everything else is on api.API.
type App struct {
	ctx    context.Context
	events *wailsEvents
	smoke  bool
	// smokeDashboard: the window test opens a dashboard before quitting.
	smokeDashboard bool
	link           desktop.PendingLink // the leadnavigator:// link the app was started with
}

// wailsEvents forwards backend events to the window.
type wailsEvents struct{ ctx context.Context }

func (e *wailsEvents) Emit(event string, data any) {
	if e.ctx != nil {
		runtime.EventsEmit(e.ctx, event, data)
	}
}

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.events.ctx = ctx
	runtime.OnFileDrop(ctx, func(x, y int, paths []string) {
		runtime.EventsEmit(ctx, "files:dropped", paths)
	})
}

// PickDataFile opens the native file dialog for a data file and returns its path ("" if cancelled).
func (a *App) PickDataFile() (string, error) {
	return runtime.OpenFileDialog(a.ctx, runtime.OpenDialogOptions{
		Title: "Open a lead, buyer or visitor file",
		Filters: []runtime.FileFilter{
			{DisplayName: "Data files (*.csv, *.tsv, *.txt, *.gz, *.xlsx)", Pattern: "*.csv;*.tsv;*.txt;*.gz;*.xlsx"},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
}

// PickSavePath opens the native save dialog and returns the chosen path ("" if cancelled).
func (a *App) PickSavePath(defaultName string) (string, error) {
	return runtime.SaveFileDialog(a.ctx, runtime.SaveDialogOptions{Title: "Export", DefaultFilename: defaultName})
}

// FrontendReady is called by the page once it has rendered. For the
// headless window test it says what to do next: with --smoke the app
// quits ("quit"); with --smoke-dashboard the page opens the Buyers
// dashboard ("dashboard") and reports through DashboardDrawn. "" otherwise.
func (a *App) FrontendReady() string {
	if !a.smoke {
		return ""
	}
	println("SMOKE: frontend ready")
	if a.smokeDashboard {
		return "dashboard"
	}
	runtime.Quit(a.ctx)
	return "quit"
}

// DashboardDrawn is called, in a --smoke-dashboard run, once a dashboard
// has drawn all its charts: the app says so and quits.
func (a *App) DashboardDrawn(kind string, charts int) {
	if !a.smokeDashboard {
		return
	}
	println("SMOKE: dashboard drawn (" + kind + ", " + strconv.Itoa(charts) + " charts)")
	runtime.Quit(a.ctx)
}

// PendingLink hands the login page the link the app was started with (once).
func (a *App) PendingLink() string { return a.link.Take() }

// singleInstance forwards links opened while the app runs to the page.
// No lock for --smoke, so a window test never hands off to a running app.
func (a *App) singleInstance() *options.SingleInstanceLock {
	if a.smoke {
		return nil
	}
	return &options.SingleInstanceLock{
		UniqueId: "lead-navigator-6f1d2c",
		OnSecondInstanceLaunch: func(d options.SecondInstanceData) {
			l := desktop.LinkIn(d.Args)
			if l == "" || a.ctx == nil {
				return
			}
			runtime.EventsEmit(a.ctx, desktop.LinkEvent(l), l)
			runtime.WindowUnminimise(a.ctx)
			runtime.Show(a.ctx)
		},
	}
}

// Package api is the one surface the frontend talks to. Its exported
// methods on *API are bound to the Wails window and, in serve mode, exposed
// over HTTP (POST /api/<Method> with a JSON array of arguments).
//
// Every method that touches workspace data takes the caller's session token
// first and checks it (and the caller's role) before doing anything; the
// authorization matrix test in this package enumerates every method and
// fails when a new one has no entry.
package api

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode"

	"leadnavigator/backend/assistant"
	"leadnavigator/backend/audit"
	"leadnavigator/backend/auth"
	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/httpguard"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/settings"
	"leadnavigator/backend/store"
	"leadnavigator/backend/workspace"

	"database/sql"
)

// Emitter pushes events (import progress, ...) to the UI.
type Emitter interface {
	Emit(event string, data any)
}

type noEmitter struct{}

func (noEmitter) Emit(string, any) {}

// UserEmitter is an Emitter that can address the clients of one user
// (serve mode, where several people's browsers listen to one server).
type UserEmitter interface {
	Emitter
	EmitTo(userID int64, event string, data any)
}

// jobEvent is an event payload about one job (an import). With a
// UserEmitter it goes only to the user who started the job.
type jobEvent interface{ eventJobID() string }

func (e importProgressEvent) eventJobID() string { return e.JobID }
func (e importEndEvent) eventJobID() string      { return e.JobID }

// routedEmitter sends job events to their job's user only. Events that
// are about no job go to every client.
type routedEmitter struct {
	inner Emitter
	owner func(jobID string) int64
}

func (r routedEmitter) Emit(event string, data any) {
	ue, ok := r.inner.(UserEmitter)
	job, isJob := data.(jobEvent)
	switch {
	case !ok || !isJob:
		r.inner.Emit(event, data)
	default:
		// A job that is not (or no longer) running has no audience.
		if uid := r.owner(job.eventJobID()); uid != 0 {
			ue.EmitTo(uid, event, data)
		}
	}
}

// owner is the id of the user who started jobID, 0 when it is not running.
func (j *importJobs) owner(jobID string) int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.jobs[jobID].userID
}

// Config says where the app keeps its files and secrets.
type Config struct {
	DataDir string         // app.db and workspaces/ live here
	Keyring keychain.Store // nil: the OS keychain
	Engine  engine.Options
	Events  Emitter // nil: events are dropped
	// BrowserClient is set in serve mode, where the UI is a web page with no
	// file system of its own: files it imports must be its uploads, and
	// exports always land in <data-dir>/exports for download, so a page
	// cannot make the server read or overwrite arbitrary paths.
	BrowserClient bool
}

// API holds the services behind the bound methods.
type API struct {
	cfg        Config
	db         *sql.DB
	keys       keychain.Store
	engine     *engine.Manager
	auth       *auth.Service
	workspaces *workspace.Service
	datasets   *datasets.Service
	mappings   *mapping.Store
	imports    importJobs
	sampleRows int // rows per generated sample file; 0: defaultSampleRows
	audit      *audit.Log
	settings   *settings.Store
	events     Emitter
	assistant  *assistant.Service
	dashboards dashboardState // saved views (dashboards.go)
	filters    filterAudit    // settling filter states before they are audited (filteraudit.go)
	denials    *httpguard.RateLimiter
}

// New opens the app database under cfg.DataDir, migrates it and wires the services.
func New(cfg Config) (*API, error) {
	if cfg.Keyring == nil {
		keys, err := keychain.Open(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		cfg.Keyring = keys
	}
	db, err := store.Open(filepath.Join(cfg.DataDir, "app.db"))
	if err != nil {
		return nil, err
	}
	if cfg.Events == nil {
		cfg.Events = noEmitter{}
	}
	a := &API{cfg: cfg, db: db, keys: cfg.Keyring, denials: httpguard.NewRateLimiter(1, time.Minute)}
	a.events = routedEmitter{inner: cfg.Events, owner: a.imports.owner}
	if err := a.wire(); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *API) wire() error {
	key, err := a.signingKey()
	if err != nil {
		return err
	}
	if a.auth, err = auth.New(a.db, key, auth.Config{}); err != nil {
		return err
	}
	if a.workspaces, err = workspace.New(a.db); err != nil {
		return err
	}
	if a.datasets, err = datasets.New(a.db); err != nil {
		return err
	}
	if err := a.wireSettings(); err != nil {
		return err
	}
	install, err := a.settings.InstallID()
	if err != nil {
		return err
	}
	if a.audit, err = audit.New(a.db, a.keys, install); err != nil {
		return err
	}
	if a.mappings, err = mapping.NewStore(a.db); err != nil {
		return err
	}
	a.engine = engine.NewManager(filepath.Join(a.cfg.DataDir, "workspaces"), a.cfg.Engine)
	if err := a.wireDashboards(); err != nil {
		return err
	}
	if err := a.wireAssistant(); err != nil {
		return err
	}
	return nil
}

// signingKey loads the JWT signing key from the keychain, creating it on first run.
func (a *API) signingKey() ([]byte, error) {
	enc, err := a.keys.Get(keychain.SigningKey)
	if err == nil {
		if key, derr := base64.StdEncoding.DecodeString(enc); derr == nil && len(key) >= 32 {
			return key, nil
		}
	} else if !errors.Is(err, keychain.ErrNotFound) {
		return nil, fmt.Errorf("read session signing key from %s: %w", a.keys.Backend(), err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := a.keys.Set(keychain.SigningKey, base64.StdEncoding.EncodeToString(key)); err != nil {
		return nil, fmt.Errorf("store session signing key in %s: %w", a.keys.Backend(), err)
	}
	return key, nil
}

// Close closes the databases. It is a function, not a method, because every
// exported method of API is bound to the UI.
func Close(a *API) {
	a.flushFilters()
	a.assistant.Stop() // background indexing writes into the data dir
	a.engine.Close()
	a.db.Close()
}

// SessionUser verifies a session token and returns its user's id, for the
// serve mode routes that are not bound methods (uploads, event streams).
// A function, not a method, so it is not bound to the UI.
func SessionUser(a *API, token string) (int64, error) {
	id, err := a.caller(token)
	return id.ID, err
}

// caller verifies a session token.
func (a *API) caller(token string) (auth.Identity, error) {
	return a.auth.Verify(token)
}

// member verifies the token and that the caller's role in workspaceID
// grants p. A refusal is audited.
func (a *API) member(token string, workspaceID int64, p workspace.Permission) (auth.Identity, workspace.Role, error) {
	id, err := a.caller(token)
	if err != nil {
		return id, "", err
	}
	role, err := a.workspaces.Require(id.ID, workspaceID, p)
	if errors.Is(err, workspace.ErrForbidden) {
		a.recordDenied(id, workspaceID)
	}
	return id, role, err
}

// recordDenied audits a refused call ("access.denied" with the method
// name), at most once a minute per user, workspace and method so probing
// cannot flood the trail.
func (a *API) recordDenied(id auth.Identity, workspaceID int64) {
	method := boundMethodName()
	key := fmt.Sprintf("%d/%d/%s", id.ID, workspaceID, method)
	if !a.denials.Allow(key) {
		return
	}
	a.record(id, workspaceID, "access.denied", map[string]any{"method": method})
}

// boundMethodName is the exported API method on the call stack.
func boundMethodName() string {
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		name := f.Function[strings.LastIndex(f.Function, ".")+1:]
		if strings.Contains(f.Function, "api.(*API).") && name != "" && unicode.IsUpper(rune(name[0])) {
			return name
		}
		if !more {
			return "unknown"
		}
	}
}

// record writes an audit entry for an action done by caller. Audit failures
// are logged, not returned: the action itself already happened.
func (a *API) record(caller auth.Identity, workspaceID int64, action string, details map[string]any) {
	if err := a.audit.Record(audit.Entry{UserID: caller.ID, WorkspaceID: workspaceID, Action: action, Details: details}); err != nil {
		log.Printf("audit %s: %v", action, err)
	}
}

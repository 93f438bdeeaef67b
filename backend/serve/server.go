package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"leadnavigator/backend/httpguard"
)

// Accounts is what the server needs from the app besides its bound
// methods: checking a session for the routes that are not methods.
type Accounts interface {
	// UserOf verifies a session token and returns the id of its user.
	UserOf(token string) (int64, error)
	// CanDownload reports whether token's user may download export name.
	CanDownload(token, name string) error
}

// Options configures a Server. Zero values get the defaults below.
type Options struct {
	UploadDir string // browser uploads (the browser has no file paths)
	ExportDir string // exports land here for download
	Accounts  Accounts
	Events    *Broker
	Guard     httpguard.Options // allowed hosts, TLS
	// SecureCookie marks the session cookie Secure (HTTPS, directly or
	// behind a TLS proxy).
	SecureCookie bool
	UploadLimit  int64         // bytes; default MaxUploadBytes
	UploadTTL    time.Duration // uploads never imported are removed after this
	ExportTTL    time.Duration // exports can be downloaded for this long
	// PublicCallsPerMinute limits the calls that need no session (login,
	// register, login links) per client address.
	PublicCallsPerMinute int
}

// Defaults.
const (
	MaxUploadBytes   = 2 << 30 // the same limit as imports
	DefaultUploadTTL = 6 * time.Hour
	DefaultExportTTL = time.Hour
	maxCallBody      = 32 << 20
	// callBodyGrace and minBodyRate cut off clients that send a body
	// slower than minBodyRate bytes a second after callBodyGrace.
	callBodyGrace = 30 * time.Second
	minBodyRate   = 32 << 10
)

// Server serves the frontend and the API for a browser.
type Server struct {
	rpc      *Dispatcher
	assets   fs.FS
	o        Options
	sessions sessions
	public   *httpguard.RateLimiter
}

// New builds a server and removes the uploads left from an earlier run
// (no import can be using them: imports run inside this process).
func New(rpc *Dispatcher, assets fs.FS, o Options) *Server {
	if o.UploadLimit <= 0 {
		o.UploadLimit = MaxUploadBytes
	}
	if o.UploadTTL <= 0 {
		o.UploadTTL = DefaultUploadTTL
	}
	if o.ExportTTL <= 0 {
		o.ExportTTL = DefaultExportTTL
	}
	if o.PublicCallsPerMinute <= 0 {
		o.PublicCallsPerMinute = 30
	}
	if o.Events == nil {
		o.Events = NewBroker()
	}
	os.MkdirAll(o.UploadDir, 0o700)
	os.MkdirAll(o.ExportDir, 0o700)
	s := &Server{rpc: rpc, assets: assets, o: o, sessions: sessions{rpc: rpc, secure: o.SecureCookie},
		public: httpguard.NewRateLimiter(o.PublicCallsPerMinute, time.Minute)}
	removeOlder(o.UploadDir, 0)
	s.Clean()
	return s
}

// Handler routes /api/<Method>, /events, /upload, /exports/<name> and the
// frontend, behind the Host check, cross-origin protection and headers.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", s.handleCall)
	mux.HandleFunc("GET /events", s.handleEvents)
	mux.HandleFunc("POST /upload", s.handleUpload)
	mux.HandleFunc("GET /exports/{name}", s.handleDownload)
	mux.Handle("GET /", http.FileServerFS(s.assets))
	return httpguard.Protect(mux, s.o.Guard)
}

// ExportDir is where exports requested from a browser are written.
func (s *Server) ExportDir() string { return s.o.ExportDir }

func (s *Server) handleCall(w http.ResponseWriter, r *http.Request) {
	defer func() {
		// A bug in one method must not take the answer (or the process) down.
		if p := recover(); p != nil {
			log.Printf("panic in %s: %v", r.PathValue("method"), p)
			writeJSON(w, http.StatusInternalServerError, errorBody(fmt.Sprintf("internal error in %s", r.PathValue("method"))))
		}
	}()
	if !isJSON(r) {
		// A page of another site can send text/plain or form bodies
		// without asking (no CORS preflight); JSON it cannot.
		writeJSON(w, http.StatusUnsupportedMediaType, errorBody("requests to /api must be sent as application/json"))
		return
	}
	body, err := io.ReadAll(io.LimitReader(httpguard.BodyReader(w, r, callBodyGrace, minBodyRate), maxCallBody+1))
	if err != nil {
		writeJSON(w, http.StatusRequestTimeout, errorBody("reading the request: "+err.Error()))
		return
	}
	if len(body) > maxCallBody {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody("request too large (at most 32 MiB)"))
		return
	}
	method := r.PathValue("method")
	if publicMethods[method] && !s.public.Allow(httpguard.ClientAddr(r)) {
		writeJSON(w, http.StatusTooManyRequests, errorBody("too many attempts from this address: wait a minute and try again"))
		return
	}
	result, err := s.sessions.call(w, r, method, body)
	if err != nil {
		writeJSON(w, http.StatusOK, errorBody(err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": result})
}

func isJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

func errorBody(msg string) map[string]string { return map[string]string{"error": msg} }

// user checks the request's session (cookie or bearer token) for the
// routes that are not bound methods.
func (s *Server) user(w http.ResponseWriter, r *http.Request) (string, int64, bool) {
	tok := requestToken(r)
	uid, err := s.o.Accounts.UserOf(tok)
	if tok == "" || err != nil {
		writeJSON(w, http.StatusUnauthorized, errorBody("you are not logged in or your session has expired"))
		return "", 0, false
	}
	return tok, uid, true
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if _, uid, ok := s.user(w, r); ok {
		s.o.Events.serve(w, r, uid)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// handleUpload stores the request body as a file and returns its server
// path, which the page then passes to ImportFile like a picked file. It
// needs a session and the X-Filename header (which a page of another
// site cannot send without a preflight this server never grants).
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.user(w, r); !ok {
		return
	}
	raw := r.Header.Get("X-Filename")
	if raw == "" {
		writeJSON(w, http.StatusBadRequest, errorBody("upload needs an X-Filename header"))
		return
	}
	if r.ContentLength > s.o.UploadLimit {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody(tooLarge(raw, s.o.UploadLimit)))
		return
	}
	name := unsafeName.ReplaceAllString(filepath.Base(raw), "_")
	if name == "" || name == "." || name == ".." {
		name = "upload.csv"
	}
	dir, err := os.MkdirTemp(s.o.UploadDir, "up-")
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, errorBody(err.Error()))
		return
	}
	path := filepath.Join(dir, name)
	body := http.MaxBytesReader(w, io.NopCloser(httpguard.BodyReader(w, r, callBodyGrace, minBodyRate)), s.o.UploadLimit)
	if err := saveFile(path, body); err != nil {
		os.RemoveAll(dir)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, errorBody(tooLarge(raw, s.o.UploadLimit)))
			return
		}
		writeJSON(w, http.StatusBadRequest, errorBody("upload of "+name+" failed: "+err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"path": path})
}

func tooLarge(name string, limit int64) string {
	return fmt.Sprintf("%s is larger than %d MiB, the most a file can have to be imported", filepath.Base(name), limit>>20)
}

func saveFile(path string, body io.Reader) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// handleDownload serves an export to the user who made it, while it has
// not expired.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	tok, _, ok := s.user(w, r)
	if !ok {
		return
	}
	name := filepath.Base(r.PathValue("name"))
	if err := s.o.Accounts.CanDownload(tok, name); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	path := filepath.Join(s.o.ExportDir, name)
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() {
		http.Error(w, "this export does not exist or has expired: export again", http.StatusNotFound)
		return
	}
	if time.Since(st.ModTime()) > s.o.ExportTTL {
		os.Remove(path)
		http.Error(w, "this export has expired (exports are kept for an hour): export again", http.StatusGone)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, name))
	w.Header().Set("Cache-Control", "no-store")
	http.ServeFile(w, r, path)
}

// Clean removes uploads older than the upload TTL and exports older than
// the export TTL.
func (s *Server) Clean() {
	removeOlder(s.o.UploadDir, s.o.UploadTTL)
	removeOlder(s.o.ExportDir, s.o.ExportTTL)
}

// RunJanitor calls Clean every interval until stop is closed.
func (s *Server) RunJanitor(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			s.Clean()
		}
	}
}

// removeOlder deletes the entries of dir last modified more than age ago
// (every entry for age 0).
func removeOlder(dir string, age time.Duration) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		if age == 0 || time.Since(info.ModTime()) > age {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				log.Printf("clean %s: %v", dir, err)
			}
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

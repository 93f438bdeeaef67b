package serve

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Server serves the frontend and the API for a browser.
type Server struct {
	rpc       *Dispatcher
	assets    fs.FS
	uploadDir string
	exportDir string
	events    *Broker
}

// New builds a server. uploadDir receives browser uploads (the browser has
// no file paths); exportDir is where exports land for download.
func New(rpc *Dispatcher, assets fs.FS, uploadDir, exportDir string, events *Broker) *Server {
	os.MkdirAll(uploadDir, 0o700)
	os.MkdirAll(exportDir, 0o700)
	return &Server{rpc: rpc, assets: assets, uploadDir: uploadDir, exportDir: exportDir, events: events}
}

// Handler routes /api/<Method>, /events, /upload, /exports/<name> and the frontend.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", s.handleCall)
	mux.HandleFunc("GET /events", s.events.ServeHTTP)
	mux.HandleFunc("POST /upload", s.handleUpload)
	mux.HandleFunc("GET /exports/{name}", s.handleDownload)
	mux.Handle("/", http.FileServerFS(s.assets))
	return mux
}

func (s *Server) handleCall(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	result, err := s.rpc.Call(r.PathValue("method"), body)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": result})
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// handleUpload stores the request body as a file and returns its server
// path, which the page then passes to ImportFile like a picked file.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	name := unsafeName.ReplaceAllString(filepath.Base(r.Header.Get("X-Filename")), "_")
	if name == "" || name == "." {
		name = "upload.csv"
	}
	dir, err := os.MkdirTemp(s.uploadDir, "up-")
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err == nil {
		_, err = io.Copy(f, r.Body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "upload failed: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"path": path})
}

func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.PathValue("name"))
	path := filepath.Join(s.exportDir, name)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, name))
	http.ServeFile(w, r, path)
}

// ExportDir is where exports requested from a browser are written.
func (s *Server) ExportDir() string { return s.exportDir }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

// Broker fans events out to every connected browser (Server-Sent Events).
type Broker struct {
	mu      sync.Mutex
	clients map[chan []byte]struct{}
}

// NewBroker makes an empty broker.
func NewBroker() *Broker { return &Broker{clients: map[chan []byte]struct{}{}} }

// Emit implements api.Emitter.
func (b *Broker) Emit(event string, data any) {
	msg, err := json.Marshal(map[string]any{"event": event, "data": data})
	if err != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.clients {
		select {
		case c <- msg:
		default: // a slow client misses a progress tick rather than blocking the import
		}
	}
}

// ServeHTTP streams events to one client until it disconnects.
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	c := make(chan []byte, 64)
	b.mu.Lock()
	b.clients[c] = struct{}{}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.clients, c)
		b.mu.Unlock()
	}()
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-c:
			fmt.Fprintf(w, "data: %s\n\n", strings.ReplaceAll(string(msg), "\n", ""))
			flusher.Flush()
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
			flusher.Flush()
		}
	}
}

package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Broker fans events out to the connected browsers (Server-Sent Events),
// each stream belonging to one logged-in user.
type Broker struct {
	mu      sync.Mutex
	clients map[chan []byte]int64 // stream -> user id
}

// maxStreamsPerUser bounds the event streams one account can hold open
// (each is a connection): a few tabs, not a connection flood.
const maxStreamsPerUser = 16

// NewBroker makes an empty broker.
func NewBroker() *Broker { return &Broker{clients: map[chan []byte]int64{}} }

// Emit sends an event to every logged-in browser (events that concern
// everyone; a user's own events go through EmitTo).
func (b *Broker) Emit(event string, data any) { b.send(0, event, data) }

// EmitTo sends an event only to the streams of userID.
func (b *Broker) EmitTo(userID int64, event string, data any) {
	if userID != 0 {
		b.send(userID, event, data)
	}
}

func (b *Broker) send(userID int64, event string, data any) {
	msg, err := json.Marshal(map[string]any{"event": event, "data": data})
	if err != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for c, owner := range b.clients {
		if userID != 0 && owner != userID {
			continue
		}
		select {
		case c <- msg:
		default: // a slow client misses a progress tick rather than blocking the import
		}
	}
}

// ServeHTTP streams every event to a client (tests and tools; the server
// routes /events through serve with the caller's user id).
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.serve(w, r, -1) }

// serve streams the events of userID to one client until it disconnects.
func (b *Broker) serve(w http.ResponseWriter, r *http.Request, userID int64) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan []byte, 64)
	if !b.add(c, userID) {
		http.Error(w, "too many open event streams for this account: close some tabs", http.StatusTooManyRequests)
		return
	}
	defer func() {
		b.mu.Lock()
		delete(b.clients, c)
		b.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
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

func (b *Broker) add(c chan []byte, userID int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, owner := range b.clients {
		if owner == userID {
			n++
		}
	}
	if userID > 0 && n >= maxStreamsPerUser {
		return false
	}
	b.clients[c] = userID
	return true
}

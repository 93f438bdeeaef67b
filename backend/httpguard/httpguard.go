// Package httpguard hardens the app's two HTTP servers (`serve` and
// `auth-server`) against what a browser page, a co-worker on the network or
// a slow client can do to them:
//
//   - Host allow-list: DNS rebinding makes a hostile page's own name resolve
//     to 127.0.0.1; only the names the server was started for are answered.
//   - Cross-origin protection on state-changing requests (Origin and
//     Sec-Fetch-Site, net/http's CrossOriginProtection).
//   - Security headers on every answer (CSP, frame-ancestors, nosniff, ...).
//   - Timeouts and a cap on open connections, so half-open connections or a
//     body sent at one byte a second cannot exhaust the server.
//   - Refusing to listen on a network address in clear text unless the
//     operator says TLS is terminated in front (CheckListen).
package httpguard

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configures Protect.
type Options struct {
	// Hosts are the host[:port] values the Host header may carry (case
	// insensitive). Empty: any host (tests only).
	Hosts []string
	// TLS: the server is reached over HTTPS (directly or through a proxy);
	// adds Strict-Transport-Security.
	TLS bool
	// CSP overrides the default Content-Security-Policy.
	CSP string
}

// DefaultCSP allows only the app's own scripts, styles, images and
// connections. Inline styles are allowed (Svelte and Plotly set style
// attributes); inline scripts and framing are not.
const DefaultCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// Protect wraps h with the Host check, cross-origin protection and the
// security headers.
func Protect(h http.Handler, o Options) http.Handler {
	allowed := map[string]bool{}
	for _, host := range o.Hosts {
		allowed[strings.ToLower(host)] = true
	}
	csp := o.CSP
	if csp == "" {
		csp = DefaultCSP
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "cross-origin request refused: this server only answers its own pages", http.StatusForbidden)
	}))
	inner := cop.Handler(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		if o.TLS {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if len(allowed) > 0 && !allowed[strings.ToLower(r.Host)] {
			http.Error(w, fmt.Sprintf("unknown host %q: this server answers only for the names it was started with (--host)", r.Host),
				http.StatusMisdirectedRequest)
			return
		}
		inner.ServeHTTP(w, r)
	})
}

// LoopbackHosts lists the Host values under which a server listening on
// addr (host:port) is reached from this machine: 127.0.0.1, localhost and
// [::1] with its port, plus extra names (host or host:port) given by the
// operator.
func LoopbackHosts(addr string, extra ...string) []string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		port = ""
	}
	withPort := func(h string) string {
		if port == "" || strings.Contains(h, ":") && !strings.HasPrefix(h, "[") {
			return h
		}
		if strings.HasPrefix(h, "[") && strings.Contains(h, "]:") {
			return h
		}
		return net.JoinHostPort(strings.Trim(h, "[]"), port)
	}
	out := []string{withPort("127.0.0.1"), withPort("localhost"), withPort("[::1]")}
	for _, h := range extra {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		// A bare name is accepted with and without the port: behind a TLS
		// proxy the Host header is usually the public name on 443.
		out = append(out, strings.ToLower(h))
		if !strings.Contains(strings.Trim(h, "[]"), ":") || strings.HasPrefix(h, "[") && !strings.Contains(h, "]:") {
			out = append(out, strings.ToLower(withPort(h)))
		}
	}
	return out
}

// IsLoopback reports whether addr (host:port) listens only on this machine.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ErrCleartextNetwork explains the refusal to serve a network address
// over plain HTTP.
var ErrCleartextNetwork = errors.New("refusing to serve plain HTTP on a network address: passwords and session cookies " +
	"would cross the network in clear text. Use --tls-cert and --tls-key, or --behind-tls-proxy when a reverse proxy " +
	"terminates TLS in front of this server, or --insecure-http to accept the risk (trusted test networks only)")

// CheckListen refuses a non-loopback addr unless TLS is served directly
// (hasTLS), terminated by a proxy (behindProxy) or the operator accepted
// clear text (insecure).
func CheckListen(addr string, hasTLS, behindProxy, insecure bool) error {
	if IsLoopback(addr) || hasTLS || behindProxy || insecure {
		return nil
	}
	return fmt.Errorf("%s: %w", addr, ErrCleartextNetwork)
}

// Limits are the slow-client defences of a server.
type Limits struct {
	ReadHeaderTimeout time.Duration // whole request line and headers
	ReadTimeout       time.Duration // whole request including body; 0 = handlers set their own deadline
	WriteTimeout      time.Duration // 0: none (event streams and downloads run long)
	IdleTimeout       time.Duration // keep-alive connections
	MaxConnections    int           // open connections at once
	MaxHeaderBytes    int
}

// DefaultLimits suit both servers.
var DefaultLimits = Limits{
	ReadHeaderTimeout: 10 * time.Second,
	IdleTimeout:       60 * time.Second,
	MaxConnections:    512,
	MaxHeaderBytes:    64 << 10,
}

// Server builds an http.Server for h with l's timeouts.
func Server(h http.Handler, l Limits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}

// LimitListener accepts at most n connections at once; further clients
// wait in the kernel's backlog until one closes (the timeouts above make
// sure idle or stalled ones do).
func LimitListener(ln net.Listener, n int) net.Listener {
	if n <= 0 {
		return ln
	}
	return &limitListener{Listener: ln, slots: make(chan struct{}, n)}
}

type limitListener struct {
	net.Listener
	slots chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// BodyReader reads r's body under a deadline that grows with the bytes
// received: grace plus one second per minRate bytes. A client that sends a
// body at one byte a second is cut off after grace instead of holding a
// connection (and a goroutine) for days, while a large upload at a
// reasonable speed is never interrupted.
func BodyReader(w http.ResponseWriter, r *http.Request, grace time.Duration, minRate int64) *MinRateReader {
	return &MinRateReader{rc: http.NewResponseController(w), body: r.Body, start: time.Now(), grace: grace, rate: minRate}
}

// MinRateReader is the reader BodyReader returns.
type MinRateReader struct {
	rc    *http.ResponseController
	body  interface{ Read([]byte) (int, error) }
	start time.Time
	grace time.Duration
	rate  int64
	n     int64
}

func (m *MinRateReader) Read(p []byte) (int, error) {
	allowed := m.grace
	if m.rate > 0 {
		allowed += time.Duration(float64(m.n) / float64(m.rate) * float64(time.Second))
	}
	// Not every ResponseWriter supports deadlines (httptest recorders);
	// then only the server-wide timeouts apply.
	_ = m.rc.SetReadDeadline(m.start.Add(allowed))
	n, err := m.body.Read(p)
	m.n += int64(n)
	return n, err
}

// RateLimiter allows at most n events per window for each key (a client
// address, an email address); it forgets keys whose window has passed.
type RateLimiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	seen   map[string]*bucket
	Now    func() time.Time
}

type bucket struct {
	start time.Time
	count int
}

// NewRateLimiter makes a limiter of n events per window and key.
func NewRateLimiter(n int, window time.Duration) *RateLimiter {
	return &RateLimiter{n: n, window: window, seen: map[string]*bucket{}, Now: time.Now}
}

// Allow counts one event for key and reports whether it is within the limit.
func (l *RateLimiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	if len(l.seen) > 10000 {
		for k, b := range l.seen {
			if now.Sub(b.start) >= l.window {
				delete(l.seen, k)
			}
		}
	}
	b := l.seen[key]
	if b == nil || now.Sub(b.start) >= l.window {
		b = &bucket{start: now}
		l.seen[key] = b
	}
	b.count++
	return b.count <= l.n
}

// ClientAddr is the address a request came from (without the port). Behind
// a reverse proxy every request comes from the proxy, so per-client limits
// become limits for all clients together: safe, if strict.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

package httpguard

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// startServer runs h with small limits on 127.0.0.1.
func startServer(t *testing.T, h http.Handler, l Limits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := Server(h, l)
	go srv.Serve(LimitListener(ln, l.MaxConnections))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// Issue 11 #7: many half-open connections cannot take the server down:
// they are capped and closed after the header timeout, and the server
// answers again.
func TestHalfOpenConnectionsAreCappedAndDropped(t *testing.T) {
	l := Limits{ReadHeaderTimeout: 300 * time.Millisecond, IdleTimeout: time.Second, MaxConnections: 20}
	addr := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }), l)
	before := runtime.NumGoroutine()
	var conns []net.Conn
	for i := 0; i < 200; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break // the backlog is full: the kernel refuses, the server is untouched
		}
		c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n")) // never finished
		conns = append(conns, c)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	if g := runtime.NumGoroutine() - before; g > 4*l.MaxConnections {
		t.Fatalf("%d goroutines for %d half-open connections", g, len(conns))
	}
	client := &http.Client{Timeout: 10 * time.Second}
	res, err := client.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("server did not answer after the flood: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
}

// A body sent at a byte a second is cut off after the grace period.
func TestSlowBodyIsCutOff(t *testing.T) {
	done := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(BodyReader(w, r, 300*time.Millisecond, 1<<20))
		done <- err
		if err != nil {
			http.Error(w, "too slow", http.StatusRequestTimeout)
		}
	})
	addr := startServer(t, h, Limits{ReadHeaderTimeout: time.Second, MaxConnections: 10})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
	go func() {
		for i := 0; i < 1000; i++ {
			if _, err := c.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the slow body was read to the end")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the slow body was still being read after 20 s")
	}
}

func TestHostCheckAndHeaders(t *testing.T) {
	h := Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }),
		Options{Hosts: LoopbackHosts("127.0.0.1:8765", "analytics.example.com")})
	addr := startServer(t, h, DefaultLimits)
	for host, want := range map[string]int{"127.0.0.1:8765": 200, "localhost:8765": 200, "[::1]:8765": 200,
		"analytics.example.com": 200, "analytics.example.com:8765": 200, "evil.example": 421, "127.0.0.1:9999": 421} {
		req, _ := http.NewRequest("GET", "http://"+addr+"/", nil)
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("Host %s: %d, want %d (CSP %q)", host, res.StatusCode, want, res.Header.Get("Content-Security-Policy"))
		}
	}
}

func TestCheckListen(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:1": true, "localhost:1": true, "[::1]:1": true, "0.0.0.0:1": false, "192.168.1.5:1": false, ":8765": false} {
		if err := CheckListen(addr, false, false, false); (err == nil) != ok {
			t.Errorf("%s: %v", addr, err)
		}
	}
	if CheckListen("0.0.0.0:1", true, false, false) != nil || CheckListen("0.0.0.0:1", false, true, false) != nil || CheckListen("0.0.0.0:1", false, false, true) != nil {
		t.Error("TLS, a TLS proxy or --insecure-http must allow a network address")
	}
}

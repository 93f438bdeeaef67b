package cli

// HTTP-level security suite: the real `serve` and `auth-server` (flags,
// API, guards) on 127.0.0.1, probed the way a hostile page, a co-worker
// and a script would: foreign Host, foreign Origin, text/plain and form
// bodies, no token and a wrong token on every route.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"leadnavigator/backend/api"
	"leadnavigator/backend/serve"
)

type liveServer struct {
	url     string
	dataDir string
	app     *serveApp
}

func startLive(t *testing.T, start func(args []string) (*serveApp, error), args ...string) *liveServer {
	t.Helper()
	app, err := start(append([]string{"--addr", "127.0.0.1:0"}, args...))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: app.handler, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(app.ln)
	t.Cleanup(func() { srv.Close(); app.close() })
	return &liveServer{url: "http://" + app.ln.Addr().String(), app: app}
}

func startLiveServe(t *testing.T) *liveServer {
	dir := t.TempDir()
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>app</title>")}}
	s := startLive(t, func(args []string) (*serveApp, error) { return startServe(args, io.Discard, assets) },
		"--data-dir", dir, "--mock-keyring")
	s.dataDir = dir
	return s
}

// browser is a client with its own cookie jar, like one browser profile.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

type answer struct {
	Status int
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
	header http.Header
	raw    []byte
}

// post sends a request; headers may override Content-Type, Host, Origin.
func post(t *testing.T, c *http.Client, url string, body string, headers map[string]string) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := answer{Status: res.StatusCode, header: res.Header, raw: raw}
	json.Unmarshal(raw, &a)
	if a.Error == "" && res.StatusCode >= 300 {
		a.Error = strings.TrimSpace(string(raw))
	}
	return a
}

func callAPI(t *testing.T, c *http.Client, s *liveServer, method string, args ...any) answer {
	t.Helper()
	body, _ := json.Marshal(args)
	return post(t, c, s.url+"/api/"+method, string(body), nil)
}

func (a answer) into(t *testing.T, v any) {
	t.Helper()
	if a.Error != "" {
		t.Fatalf("unexpected error: %s", a.Error)
	}
	if err := json.Unmarshal(a.Result, v); err != nil {
		t.Fatalf("result %s: %v", a.Result, err)
	}
}

type session struct {
	Token string `json:"token"`
	User  struct {
		ID    int64  `json:"id"`
		Email string `json:"email"`
	} `json:"user"`
}

// Issue 11 #1 and issue 12 #8: each browser has its own session, in an
// HttpOnly SameSite=Strict cookie; the desktop's remembered session is not
// reachable over HTTP.
func TestServeGivesEachBrowserItsOwnSession(t *testing.T) {
	s := startLiveServe(t)
	alice := browser()
	var as session
	reg := callAPI(t, alice, s, "Register", "alice@example.com", "alice's long password", "Alice")
	reg.into(t, &as)
	if as.Token != serve.PageToken {
		t.Fatalf("the page got the real token: %q", as.Token)
	}
	cookie := reg.header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(cookie, attr) {
			t.Fatalf("session cookie %q lacks %s", cookie, attr)
		}
	}
	// A script asks for its token in the answer and gets no cookie.
	script := post(t, browser(), s.url+"/api/Login", `["alice@example.com","alice's long password"]`, map[string]string{serve.TokenDeliveryHeader: "token"})
	var ss session
	script.into(t, &ss)
	if ss.Token == serve.PageToken || len(ss.Token) < 40 || script.header.Get("Set-Cookie") != "" {
		t.Fatalf("script login: token %q, cookie %q", ss.Token, script.header.Get("Set-Cookie"))
	}
	if a := callAPI(t, alice, s, "RememberSession", serve.PageToken); a.Error != "" {
		t.Fatalf("RememberSession: %s", a.Error)
	}

	// A second browser (and any page on any site) gets no session.
	stranger := browser()
	var restored session
	callAPI(t, stranger, s, "RestoreSession").into(t, &restored)
	if restored.Token != "" || restored.User.ID != 0 {
		t.Fatalf("a new browser restored %+v", restored)
	}
	if a := callAPI(t, stranger, s, "Me", serve.PageToken); !strings.Contains(a.Error, "not logged in") {
		t.Fatalf("Me without a cookie: %+v", a)
	}
	var bs session
	callAPI(t, stranger, s, "Register", "bob@example.com", "bob's long password", "Bob").into(t, &bs)
	var me struct{ Email string }
	callAPI(t, alice, s, "Me", serve.PageToken).into(t, &me)
	if me.Email != "alice@example.com" {
		t.Fatalf("alice's browser is now %s", me.Email)
	}
	callAPI(t, alice, s, "RestoreSession").into(t, &restored)
	if restored.Token != serve.PageToken || restored.User.Email != "alice@example.com" {
		t.Fatalf("reload in alice's browser: %+v", restored)
	}

	// Logout ends the session on the server, not only in the browser.
	u, _ := http.NewRequest("GET", s.url, nil)
	old := alice.Jar.Cookies(u.URL)
	callAPI(t, alice, s, "Logout", serve.PageToken)
	callAPI(t, alice, s, "RestoreSession").into(t, &restored)
	if restored.Token != "" {
		t.Fatalf("restored after logout: %+v", restored)
	}
	replay := browser()
	replay.Jar.SetCookies(u.URL, old)
	if a := callAPI(t, replay, s, "Me", serve.PageToken); !strings.Contains(a.Error, "not logged in") {
		t.Fatalf("the old cookie still works: %+v", a)
	}
}

// Issue 11 #4 and #8: foreign Host names (DNS rebinding), foreign Origins,
// and the bodies a page can send without asking (text/plain, forms) are
// refused on every state-changing route; pages carry security headers.
func TestServeRefusesForeignHostsOriginsAndSimpleBodies(t *testing.T) {
	s := startLiveServe(t)
	c := browser()
	register := `["mallory@example.com","a long enough password","M"]`
	cases := []struct {
		name    string
		path    string
		body    string
		headers map[string]string
		status  int
	}{
		{"foreign Host", "/api/Register", register, map[string]string{"Host": "evil.example"}, http.StatusMisdirectedRequest},
		{"foreign Host with our port", "/api/Login", register, map[string]string{"Host": "evil.example:" + port(s)}, http.StatusMisdirectedRequest},
		{"foreign Origin", "/api/Register", register, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"cross-site fetch", "/api/RequestMagicLink", `["a@example.com"]`, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"text/plain", "/api/Register", register, map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType},
		{"form", "/api/Register", "a=b", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		{"multipart form", "/api/RequestMagicLink", "--x--", map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, http.StatusUnsupportedMediaType},
		{"text/plain magic link", "/api/RequestMagicLink", `["a@example.com"]`, map[string]string{"Content-Type": "text/plain;charset=UTF-8"}, http.StatusUnsupportedMediaType},
		{"cross-site upload", "/upload", "a,b\n1,2\n", map[string]string{"Content-Type": "text/plain", "Origin": "http://evil.example", "X-Filename": "x.csv"}, http.StatusForbidden},
		{"upload without session", "/upload", "a,b\n1,2\n", map[string]string{"Content-Type": "text/plain", "X-Filename": "x.csv"}, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		if a := post(t, c, s.url+tc.path, tc.body, tc.headers); a.Status != tc.status {
			t.Errorf("%s: status %d (%s), want %d", tc.name, a.Status, a.Error, tc.status)
		}
	}
	if a := callAPI(t, c, s, "Login", "mallory@example.com", "a long enough password"); a.Error == "" {
		t.Fatal("a refused Register created the account")
	}
	req, _ := http.NewRequest("GET", s.url+"/", nil)
	req.Host = "attacker.example"
	if res, err := c.Do(req); err != nil || res.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("page under a foreign Host: %v %v", res, err)
	}
	res, err := c.Get(s.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for h, want := range map[string]string{"Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY",
		"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"} {
		if !strings.Contains(res.Header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, res.Header.Get(h), want)
		}
	}
	for _, host := range []string{"localhost:" + port(s), "127.0.0.1:" + port(s)} {
		req, _ := http.NewRequest("GET", s.url+"/", nil)
		req.Host = host
		if res, err := c.Do(req); err != nil || res.StatusCode != 200 {
			t.Fatalf("own name %s refused: %v %v", host, res, err)
		}
	}
}

func port(s *liveServer) string { return s.url[strings.LastIndex(s.url, ":")+1:] }

// publicMethods take no session token.
var publicMethods = map[string]bool{"Register": true, "Login": true, "RequestMagicLink": true, "LoginWithMagicLink": true}

// Every bound method and every route refuses a missing or wrong token.
func TestServeEveryRouteNeedsAValidSession(t *testing.T) {
	s := startLiveServe(t)
	c := browser()
	apiType := reflect.TypeOf(&api.API{})
	checked := 0
	for i := 0; i < apiType.NumMethod(); i++ {
		m := apiType.Method(i)
		if publicMethods[m.Name] || m.Name == "RestoreSession" {
			continue
		}
		for _, tok := range []string{"", "wrong-token", serve.PageToken, "eyJhbGciOiJIUzI1NiJ9.e30.x"} {
			args := []any{tok}
			for p := 2; p < m.Type.NumIn(); p++ {
				args = append(args, reflect.Zero(m.Type.In(p)).Interface())
			}
			a := callAPI(t, c, s, m.Name, args...)
			desktopNoop := (m.Name == "RememberSession" || m.Name == "ForgetSession") && a.Error == "" && string(a.Result) == "null"
			if !desktopNoop && !strings.Contains(a.Error, "not logged in") {
				t.Errorf("%s with token %q: %s %s", m.Name, tok, a.Result, a.Error)
			}
		}
		checked++
	}
	if checked < 40 {
		t.Fatalf("only %d methods checked", checked)
	}
	routes := []route{{"GET", "/events"}, {"POST", "/upload"}, {"GET", "/exports/x.csv"}}
	expectUnauthorized(t, c, s, routes, []string{"", "wrong-token"}, map[string]string{"X-Filename": "x.csv"})
}

type route struct{ method, path string }

// expectUnauthorized calls each route with each bearer token ("" = none)
// and wants 401.
func expectUnauthorized(t *testing.T, c *http.Client, s *liveServer, routes []route, tokens []string, headers map[string]string) {
	t.Helper()
	for _, tok := range tokens {
		for _, r := range routes {
			req, _ := http.NewRequest(r.method, s.url+r.path, strings.NewReader(`{}`))
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s with token %q: %d", r.method, r.path, tok, res.StatusCode)
			}
		}
	}
}

// Issue 11 #5 and #6: exports have unguessable names, only their maker
// downloads them, and they expire; uploads need a session; import events
// reach only the user whose import it is.
func TestServeExportsUploadsAndEventsArePrivate(t *testing.T) {
	s := startLiveServe(t)
	alice, bob := browser(), browser()
	var as session
	callAPI(t, alice, s, "Register", "alice@example.com", "alice's long password", "Alice").into(t, &as)
	callAPI(t, bob, s, "Register", "bob@example.com", "bob's long password", "Bob")
	var ws struct{ ID int64 }
	callAPI(t, alice, s, "CreateWorkspace", serve.PageToken, "Alice's").into(t, &ws)

	aliceEvents, bobEvents := openEvents(t, alice, s), openEvents(t, bob, s)
	path := uploadedPath(t, alice, s)
	if a := callAPI(t, alice, s, "ImportFile", serve.PageToken, ws.ID, path, "job-alice"); a.Error != "" {
		t.Fatalf("import: %s", a.Error)
	}
	if !waitFor(aliceEvents, `"jobId":"job-alice"`, 10*time.Second) {
		t.Fatal("alice got no event of her import")
	}
	if waitFor(bobEvents, "job-alice", 300*time.Millisecond) {
		t.Fatal("bob's browser received alice's import events")
	}

	var name string
	callAPI(t, alice, s, "ExportAudit", serve.PageToken, ws.ID, map[string]any{}, "csv", "").into(t, &name)
	if !regexp.MustCompile(`-[0-9a-f]{16}\.csv$`).MatchString(name) {
		t.Fatalf("export name %q has no random part", name)
	}
	get := func(c *http.Client) int {
		res, err := c.Get(s.url + "/exports/" + name)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(browser()); code != http.StatusUnauthorized {
		t.Fatalf("download without a session: %d", code)
	}
	if code := get(bob); code != http.StatusNotFound {
		t.Fatalf("download by another user: %d", code)
	}
	if code := get(alice); code != http.StatusOK {
		t.Fatalf("download by its maker: %d", code)
	}
	file := filepath.Join(s.dataDir, "exports", name)
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(file, old, old)
	if code := get(alice); code != http.StatusGone {
		t.Fatalf("download after two hours: %d", code)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("expired export still on disk: %v", err)
	}
}

// uploadedPath uploads a small CSV for c and returns its server path.
func uploadedPath(t *testing.T, c *http.Client, s *liveServer) string {
	t.Helper()
	req, _ := http.NewRequest("POST", s.url+"/upload", strings.NewReader("email,state\na@example.com,Texas\nb@example.com,Ohio\n"))
	req.Header.Set("X-Filename", "leads.csv")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Path, Error string }
	json.NewDecoder(res.Body).Decode(&out)
	if out.Path == "" {
		t.Fatalf("upload: %d %s", res.StatusCode, out.Error)
	}
	return out.Path
}

func openEvents(t *testing.T, c *http.Client, s *liveServer) chan string {
	t.Helper()
	res, err := c.Get(s.url + "/events")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("events: %v %v", res, err)
	}
	lines := make(chan string, 256)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	t.Cleanup(func() { res.Body.Close() })
	return lines
}

func waitFor(lines chan string, substr string, d time.Duration) bool {
	deadline := time.After(d)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return false
			}
			if strings.Contains(l, substr) {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// Issue 11 #8: serve and auth-server refuse plain HTTP on a network
// address unless told why it is fine.
func TestNetworkAddressNeedsTLSOrAnExplicitFlag(t *testing.T) {
	dir := t.TempDir()
	_, err := startServe([]string{"--addr", "0.0.0.0:0", "--data-dir", dir, "--mock-keyring"}, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "--tls-cert") || !strings.Contains(err.Error(), "--behind-tls-proxy") {
		t.Fatalf("serve on 0.0.0.0 without TLS: %v", err)
	}
	_, err = startAuthServer([]string{"--addr", "0.0.0.0:0", "--db", filepath.Join(dir, "auth.db")}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "clear text") {
		t.Fatalf("auth-server on 0.0.0.0 without TLS: %v", err)
	}
	for _, flag := range []string{"--behind-tls-proxy", "--insecure-http"} {
		app, err := startAuthServer([]string{"--addr", "0.0.0.0:0", flag, "--db", filepath.Join(dir, "auth.db")}, io.Discard)
		if err != nil {
			t.Fatalf("auth-server with %s: %v", flag, err)
		}
		app.close()
	}
	var out bytes.Buffer
	if code := Run([]string{"serve", "--addr", "[::]:0", "--data-dir", dir, "--mock-keyring"}, &out, &out, nil); code != 1 || !strings.Contains(out.String(), "clear text") {
		t.Fatalf("serve on [::]: exit %d %q", code, out.String())
	}
}

// The auth server: foreign Host, foreign Origin, text/plain and form
// bodies, and missing or wrong bearer tokens on every route.
func TestAuthServerRefusesForeignRequestsAndBadTokens(t *testing.T) {
	dir := t.TempDir()
	s := startLive(t, func(args []string) (*serveApp, error) { return startAuthServer(args, io.Discard) }, "--db", filepath.Join(dir, "auth.db"))
	c := &http.Client{Timeout: 10 * time.Second}
	creds := `{"email":"a@example.com","password":"a long enough password","fullName":"A"}`
	for _, tc := range []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"foreign Host", map[string]string{"Host": "evil.example"}, http.StatusMisdirectedRequest},
		{"foreign Origin", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"text/plain", map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType},
		{"form", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
	} {
		if a := post(t, c, s.url+"/v1/register", creds, tc.headers); a.Status != tc.status {
			t.Errorf("%s: %d %s", tc.name, a.Status, a.Error)
		}
	}
	reg := post(t, c, s.url+"/v1/register", creds, nil)
	var sess session
	json.Unmarshal(mustJSON(t, reg), &sess)
	if sess.Token == "" {
		t.Fatalf("register: %+v", reg)
	}
	routes := []route{
		{"POST", "/v1/invitations"}, {"GET", "/v1/invitations/mine"}, {"GET", "/v1/invitations/sent?workspaceRef=x:1"},
		{"POST", "/v1/invitations/1/accept"}, {"POST", "/v1/invitations/1/revoke"}, {"POST", "/v1/invitations/accept-token"}, {"POST", "/v1/logout"},
	}
	expectUnauthorized(t, c, s, routes, []string{"", "wrong", sess.Token[:len(sess.Token)-2] + "xx"}, map[string]string{"Content-Type": "application/json"})
	// Issue 11 #15: logout revokes the bearer token.
	req, _ := http.NewRequest("POST", s.url+"/v1/logout", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+sess.Token)
	if res, err := c.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("logout: %v %v", res, err)
	}
	req, _ = http.NewRequest("GET", s.url+"/v1/invitations/mine", nil)
	req.Header.Set("Authorization", "Bearer "+sess.Token)
	if res, err := c.Do(req); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("token after logout: %v %v", res, err)
	}
}

// mustJSON is the raw body of a successful auth-server answer.
func mustJSON(t *testing.T, a answer) []byte {
	t.Helper()
	if a.Status != 200 {
		t.Fatalf("status %d: %s", a.Status, a.Error)
	}
	return a.raw
}

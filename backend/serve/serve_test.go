package serve

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// greeter stands in for api.API: exported methods with the shapes the
// dispatcher must handle.
type greeter struct{ calls int }

type greeting struct {
	Text string `json:"text"`
}

func (g *greeter) Hello(name string, times int) (greeting, error) {
	g.calls++
	return greeting{Text: strings.Repeat("hi "+name+" ", times)}, nil
}

func (g *greeter) Fail(reason string) error { return errors.New(reason) }

func (g *greeter) Count() int { return g.calls }

func TestDispatcherCallsMethodsByName(t *testing.T) {
	g := &greeter{}
	d := NewDispatcher(g)
	res, err := d.Call("Hello", json.RawMessage(`["Ann", 2]`))
	if err != nil || res.(greeting).Text != "hi Ann hi Ann " {
		t.Fatalf("Hello: %v %v", res, err)
	}
	if res, err := d.Call("Count", nil); err != nil || res.(int) != 1 {
		t.Fatalf("Count: %v %v", res, err)
	}
	if _, err := d.Call("Fail", json.RawMessage(`["nope"]`)); err == nil || err.Error() != "nope" {
		t.Fatalf("Fail: %v", err)
	}
	for name, args := range map[string]string{"Hello": `["Ann"]`, "Missing": `[]`} {
		if _, err := d.Call(name, json.RawMessage(args)); err == nil {
			t.Errorf("%s %s: no error", name, args)
		}
	}
	if _, err := d.Call("Hello", json.RawMessage(`["Ann", "two"]`)); err == nil || !strings.Contains(err.Error(), "argument 2") {
		t.Fatalf("bad argument type: %v", err)
	}
}

func newTestServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	dir := t.TempDir()
	s := New(NewDispatcher(&greeter{}), fstest.MapFS{"index.html": {Data: []byte("<h1>app</h1>")}},
		Options{UploadDir: filepath.Join(dir, "uploads"), ExportDir: filepath.Join(dir, "exports"), Accounts: fakeAccounts{}})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, dir
}

func postJSON(t *testing.T, url, body string) map[string]any {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestServerRoutes(t *testing.T) {
	srv, dir := newTestServer(t)
	if out := postJSON(t, srv.URL+"/api/Hello", `["Bo", 1]`); out["result"].(map[string]any)["text"] != "hi Bo " {
		t.Fatalf("api: %v", out)
	}
	if out := postJSON(t, srv.URL+"/api/Fail", `["broken file.csv line 3"]`); out["error"] != "broken file.csv line 3" {
		t.Fatalf("api error: %v", out)
	}

	req, _ := http.NewRequest("POST", srv.URL+"/upload", strings.NewReader("a,b\n1,2\n"))
	req.Header.Set("X-Filename", "../../etc/passwd")
	req.Header.Set("Authorization", "Bearer good")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var up map[string]string
	json.NewDecoder(resp.Body).Decode(&up)
	resp.Body.Close()
	if !strings.HasPrefix(up["path"], filepath.Join(dir, "uploads")+string(filepath.Separator)) || filepath.Base(up["path"]) != "passwd" {
		t.Fatalf("upload stored at %q, want a file under the uploads folder", up["path"])
	}
	if data, _ := os.ReadFile(up["path"]); string(data) != "a,b\n1,2\n" {
		t.Fatalf("upload content %q", data)
	}

	if err := os.WriteFile(filepath.Join(dir, "exports", "rows.csv"), []byte("x\n1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer good")
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	if code, body := get("/exports/rows.csv"); code != 200 || body != "x\n1\n" {
		t.Fatalf("download: %d %q", code, body)
	}
	if code, body := get("/exports/..%2Fuploads"); code == 200 && body != "" {
		t.Fatalf("download escaped the exports folder: %d %q", code, body)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "app") {
		t.Fatalf("frontend: %d %q", code, body)
	}
}

func TestBrokerStreamsEvents(t *testing.T) {
	b := NewBroker()
	srv := httptest.NewServer(b)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewReader(resp.Body)
	if l, _ := lines.ReadString('\n'); !strings.HasPrefix(l, ": connected") {
		t.Fatalf("first line %q", l)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) { // the client registers just before ": connected" is flushed
		b.Emit("import:progress", map[string]int{"rows": 5})
		l, err := lines.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(l, "data: ") {
			var msg struct {
				Event string         `json:"event"`
				Data  map[string]int `json:"data"`
			}
			if err := json.Unmarshal([]byte(strings.TrimPrefix(l, "data: ")), &msg); err != nil || msg.Event != "import:progress" || msg.Data["rows"] != 5 {
				t.Fatalf("event %q: %+v %v", l, msg, err)
			}
			return
		}
	}
	t.Fatal("no event received")
}

// fakeAccounts accepts the token "good" as user 1 and lets it download
// every export.
type fakeAccounts struct{}

func (fakeAccounts) UserOf(token string) (int64, error) {
	if token == "good" {
		return 1, nil
	}
	return 0, errors.New("you are not logged in or your session has expired")
}

func (fakeAccounts) CanDownload(token, name string) error {
	_, err := fakeAccounts{}.UserOf(token)
	return err
}

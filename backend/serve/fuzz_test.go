package serve

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

// kinds is a bound object with the argument types the API uses.
type kinds struct{}

type filterSet struct {
	Values map[string][]string `json:"values"`
	From   string              `json:"from"`
}

func (kinds) Take(token string, id int64, f filterSet, names []string, ok bool, ratio float64) (string, error) {
	return token, nil
}
func (kinds) Ptr(token string, p *filterSet) error { return nil }
func (kinds) None() int                            { return 1 }

// FuzzServeCall drives the whole request decoding of serve mode (route,
// method name, content type, JSON arguments, the page-token swap) with
// arbitrary input: it must answer every request with JSON and never panic.
func FuzzServeCall(f *testing.F) {
	for _, seed := range []struct{ method, body string }{
		{"Take", `["cookie-session", 3, {"values":{"a":["b"]}}, ["x"], true, 0.5]`},
		{"Take", `["t", "3", null, null, null, null]`},
		{"Ptr", `["cookie-session", null]`},
		{"None", `[]`},
		{"None", ``},
		{"Missing", `[1]`},
		{"Take", `{"not":"an array"}`},
		{"Take", `[` + string(bytes.Repeat([]byte("["), 100)) + `]`},
		{"RestoreSession", `[]`},
		{"Logout", `["cookie-session"]`},
		{"Login", `["a@example.com", "pw"]`},
	} {
		f.Add(seed.method, []byte(seed.body))
	}
	s := New(NewDispatcher(kinds{}), fstest.MapFS{}, Options{UploadDir: f.TempDir(), ExportDir: f.TempDir(), Accounts: fakeAccounts{}})
	h := s.Handler()
	f.Fuzz(func(t *testing.T, method string, body []byte) {
		req := httptest.NewRequest("POST", "/api/x", bytes.NewReader(body))
		req.SetPathValue("method", method)
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: "ln_session", Value: "good"})
		w := httptest.NewRecorder()
		s.handleCall(w, req)
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: answer is not JSON: %q", method, body, w.Body.String())
		}
		if _, ok := out["result"]; !ok && out["error"] == nil {
			t.Fatalf("%s %q: neither result nor error: %v", method, body, out)
		}
		// And through the router with the method in the path.
		req = httptest.NewRequest("POST", "/api/"+urlSafe(method), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
	})
}

func urlSafe(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

package assistant

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"leadnavigator/backend/rag"
)

const fakeKey = "AIza-test-key-never-logged"

// fakeGemini is a Gemini REST endpoint on 127.0.0.1 answering plan
// requests (those with a response schema) with planBody, or with status.
type fakeGemini struct {
	mu       sync.Mutex
	planBody string
	status   int           // non-200: answer plan requests with this status
	delay    time.Duration // sleep before answering plan requests
	requests []string      // bodies received
	paths    []string
}

func (f *fakeGemini) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, string(body))
	f.paths = append(f.paths, r.URL.Path)
	planBody, status, delay := f.planBody, f.status, f.delay
	f.mu.Unlock()
	isPlan := strings.Contains(string(body), "responseSchema")
	switch {
	case strings.HasSuffix(r.URL.Path, ":embedContent"):
		var req embedRequest
		json.Unmarshal(body, &req)
		json.NewEncoder(w).Encode(map[string]any{"embedding": map[string]any{"values": fakeVector(req)}})
		return
	case strings.HasSuffix(r.URL.Path, ":batchEmbedContents"):
		var batch struct{ Requests []embedRequest }
		json.Unmarshal(body, &batch)
		var out []any
		for _, req := range batch.Requests {
			out = append(out, map[string]any{"values": fakeVector(req)})
		}
		json.NewEncoder(w).Encode(map[string]any{"embeddings": out})
		return
	case isPlan && delay > 0:
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if isPlan && status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, `{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}`)
		return
	}
	text := "Texas leads revenue in this test."
	if isPlan {
		text = planBody
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"candidates": []any{map[string]any{
		"content": map[string]any{"role": "model", "parts": []any{map[string]any{"text": text}}}, "finishReason": "STOP"}}})
}

type embedRequest struct {
	Content struct{ Parts []struct{ Text string } }
}

// fakeVector stands in for Gemini embeddings: the local embedding of the
// text, reversed, so it is a different vector space that still ranks well.
func fakeVector(req embedRequest) []float32 {
	var text string
	for _, p := range req.Content.Parts {
		text += p.Text
	}
	v, _ := rag.LocalEmbedding()(context.Background(), text)
	slices.Reverse(v)
	return v
}

func (f *fakeGemini) count(suffix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, p := range f.paths {
		if strings.HasSuffix(p, suffix) {
			n++
		}
	}
	return n
}

func (f *fakeGemini) planRequests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if strings.Contains(r, "responseSchema") {
			out = append(out, r)
		}
	}
	return out
}

// withGemini points the env's service at a fake Gemini server.
func (e *env) withGemini(f *fakeGemini, timeout time.Duration) {
	srv := httptest.NewServer(f)
	e.t.Cleanup(srv.Close)
	e.svc.Key = func() (string, error) { return fakeKey, nil }
	e.svc.Gemini = GeminiConfig{Endpoint: srv.URL, Timeout: timeout}
	e.t.Cleanup(e.svc.Forget)
	e.t.Cleanup(e.svc.Wait) // background indexing writes into the temp dir
}

// With a key, the dataset is indexed with Gemini embeddings in the
// background; once ready, retrieval for the prompt uses them.
func TestGeminiEmbeddingsIndexInTheBackground(t *testing.T) {
	e := newEnv(t, 300)
	f := &fakeGemini{planBody: `{"metric":{"op":"count"}}`}
	e.withGemini(f, 5*time.Second)
	if _, err := e.svc.Ask(context.Background(), e.request("How many orders?")); err != nil {
		t.Fatal(err)
	}
	e.svc.Wait()
	if f.count(":batchEmbedContents") == 0 {
		t.Fatal("the dataset was not indexed with Gemini embeddings")
	}
	before := f.count(":embedContent")
	if _, err := e.svc.Ask(context.Background(), e.request("orders from Califronia")); err != nil {
		t.Fatal(err)
	}
	if f.count(":embedContent") != before+1 {
		t.Fatalf("the question was not embedded with Gemini (%d embed calls)", f.count(":embedContent")-before)
	}
	reqs := f.planRequests()
	if last := reqs[len(reqs)-1]; !strings.Contains(last, `Related:\n`) || !strings.Contains(last, `\n- California\n`) {
		t.Fatalf("the plan prompt lacks the retrieved documents: %.2000s", last)
	}
	hits, err := e.svc.Index.Search(context.Background(), testWS, e.ds, rag.Local, "Texas", "value", 1)
	if err != nil || len(hits) != 1 || hits[0].Value != "Texas" {
		t.Fatalf("the local index is still there for offline use: %v %v", hits, err)
	}
}

func TestGeminiPlanIsValidatedAndExecuted(t *testing.T) {
	e := newEnv(t, 600)
	f := &fakeGemini{planBody: `{"metric":{"op":"revenue"},"groupBy":[{"column":"state"}],"sort":"value_desc","limit":3}`}
	e.withGemini(f, 5*time.Second)
	ans, err := e.svc.Ask(context.Background(), e.request("top 3 states by sales please"))
	if err != nil {
		t.Fatal(err)
	}
	if ans.Mode != ModeGemini || ans.Notice != "" {
		t.Fatalf("mode %q notice %q, want gemini without notice", ans.Mode, ans.Notice)
	}
	if ans.Text != "Texas leads revenue in this test." {
		t.Errorf("text %q, want Gemini's phrasing", ans.Text)
	}
	if err := sameRows(answerRows(ans.Table, 1), top(by(e.rows, revenue, state), 3, true), true); err != nil {
		t.Error(err)
	}
	if e.spy.runs.Load() != 1 {
		t.Errorf("engine ran %d queries, want 1", e.spy.runs.Load())
	}
	reqs := f.planRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d plan requests, want 1", len(reqs))
	}
	for _, want := range []string{`"responseMimeType":"application/json"`, `"responseSchema"`, "top 3 states by sales please", "state (text)"} {
		if !strings.Contains(reqs[0], want) {
			t.Errorf("plan request lacks %s: %.300s", want, reqs[0])
		}
	}
	if f.count("/v1beta/models/gemini-2.5-flash:generateContent") != 2 { // the plan, then the phrasing
		t.Errorf("requests %v, want two to the default model", f.paths)
	}
}

// Plans Gemini gets wrong never reach the engine: with a question the
// offline planner refuses too, no query runs at all.
func TestBadGeminiPlansNeverReachTheEngine(t *testing.T) {
	bad := map[string]string{
		"malformed":      `{"metric": {"op": "revenue"`,
		"unknown column": `{"metric":{"op":"sum","column":"salary"},"groupBy":[{"column":"state"}]}`,
		"unknown field":  `{"metric":{"op":"count"},"sql":"DROP TABLE ds_suite"}`,
		"bad filter op":  `{"metric":{"op":"count"},"filters":[{"column":"state","op":"like","values":["%"]}]}`,
	}
	for name, body := range bad {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, 200)
			e.withGemini(&fakeGemini{planBody: body}, 5*time.Second)
			ans, err := e.svc.Ask(context.Background(), e.request("Show me something interesting"))
			if err != nil {
				t.Fatal(err)
			}
			if n := e.spy.runs.Load(); n != 0 {
				t.Fatalf("engine ran %d queries (last %s), want none", n, e.spy.last.SQL)
			}
			if !ans.Refused || ans.Mode != ModeOffline || !strings.Contains(ans.Notice, "Gemini's plan did not fit") {
				t.Fatalf("answer %+v, want an offline refusal with a notice about Gemini's plan", ans)
			}
			// The same bad plan for a question the offline planner knows: its plan runs instead.
			ans, err = e.svc.Ask(context.Background(), e.request("Total revenue"))
			if err != nil {
				t.Fatal(err)
			}
			if ans.Mode != ModeOffline || e.spy.runs.Load() != 1 || strings.Contains(e.spy.last.SQL, "salary") {
				t.Fatalf("mode %s, %d runs, last SQL %s: want one offline query", ans.Mode, e.spy.runs.Load(), e.spy.last.SQL)
			}
			if err := sameRows(answerRows(ans.Table, 0), total(e.rows, revenue), false); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestGeminiQuotaAndTimeoutFallBackOffline(t *testing.T) {
	cases := []struct {
		name   string
		fake   *fakeGemini
		notice string
	}{
		{"429", &fakeGemini{status: http.StatusTooManyRequests}, "quota exceeded (429)"},
		{"timeout", &fakeGemini{delay: 5 * time.Second, planBody: `{"metric":{"op":"count"}}`}, "did not answer in time"},
		{"unreachable", nil, "could not be reached"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, 400)
			if c.fake != nil {
				e.withGemini(c.fake, 300*time.Millisecond)
			} else {
				srv := httptest.NewServer(http.NotFoundHandler())
				srv.Close() // nothing listens there any more
				e.svc.Key = func() (string, error) { return fakeKey, nil }
				e.svc.Gemini = GeminiConfig{Endpoint: srv.URL, Timeout: time.Second}
			}
			start := time.Now()
			ans, err := e.svc.Ask(context.Background(), e.request("Revenue by channel"))
			if err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > 4*time.Second {
				t.Errorf("fallback took %v", time.Since(start))
			}
			if ans.Mode != ModeOffline || !strings.Contains(ans.Notice, c.notice) {
				t.Fatalf("mode %q notice %q, want offline with %q", ans.Mode, ans.Notice, c.notice)
			}
			if err := sameRows(answerRows(ans.Table, 1), by(e.rows, revenue, channel), false); err != nil {
				t.Error(err)
			}
			b, _ := json.Marshal(ans)
			if strings.Contains(string(b), fakeKey) {
				t.Errorf("answer carries the API key: %s", b)
			}
		})
	}
}

func TestGeminiFilterValuesAreSpelledAsStored(t *testing.T) {
	e := newEnv(t, 400)
	f := &fakeGemini{planBody: `{"metric":{"op":"revenue"},"filters":[{"column":"state","op":"in","values":["TX","new york"]}]}`}
	e.withGemini(f, 5*time.Second)
	ans, err := e.svc.Ask(context.Background(), e.request("revenue in tx and ny"))
	if err != nil {
		t.Fatal(err)
	}
	if ans.Mode != ModeGemini || !strings.Contains(ans.PlanText, "state = Texas or New York") {
		t.Fatalf("mode %s plan %q, want Gemini's plan with stored spellings", ans.Mode, ans.PlanText)
	}
	if err := sameRows(answerRows(ans.Table, 0), total(where(e.rows, is(state, "Texas", "New York")), revenue), false); err != nil {
		t.Error(err)
	}
	f.mu.Lock()
	f.planBody = `{"metric":{"op":"revenue"},"filters":[{"column":"state","op":"in","values":["Narnia"]}]}`
	f.mu.Unlock()
	ans, err = e.svc.Ask(context.Background(), e.request("revenue in Narnia"))
	if err != nil {
		t.Fatal(err)
	}
	if ans.Mode != ModeOffline || !strings.Contains(ans.Notice, `"Narnia" is not a value of column state`) || e.spy.runs.Load() != 1 {
		t.Fatalf("answer %+v after %d runs: want an offline fallback naming the unknown value and no new query", ans, e.spy.runs.Load())
	}
}

func TestGeminiCannotAnswerFallsBackOrRefuses(t *testing.T) {
	e := newEnv(t, 200)
	e.withGemini(&fakeGemini{planBody: `{"metric":{"op":"count"},"cannotAnswer":"needs a forecast"}`}, 5*time.Second)
	ans, err := e.svc.Ask(context.Background(), e.request("Predict revenue"))
	if err != nil {
		t.Fatal(err)
	}
	if !ans.Refused || !strings.Contains(ans.Text, "needs a forecast") || e.spy.runs.Load() != 0 {
		t.Fatalf("got %+v (%d runs), want Gemini's refusal and no query", ans, e.spy.runs.Load())
	}
}

// A key change closes the old client while a background indexing may still
// embed with it: Close waits for the running call, and later calls fail
// cleanly instead of using a closed client.
func TestGeminiCloseWaitsForRunningCalls(t *testing.T) {
	// (The package's own close function hides the builtin: signal by sending.)
	arrived, unblock := make(chan struct{}, 1), make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-unblock
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"embedding":{"values":[0.5,0.5]}}`)
	}))
	defer srv.Close()
	g, err := NewGemini(context.Background(), fakeKey, GeminiConfig{Endpoint: srv.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	embedded := make(chan error, 1)
	go func() {
		_, err := g.Embedder().Func(context.Background(), "a running call")
		embedded <- err
	}()
	<-arrived
	closed := make(chan error, 1)
	go func() { closed <- g.Close() }()
	select {
	case <-closed:
		t.Fatal("Close returned while a call was still using the client")
	case <-time.After(100 * time.Millisecond):
	}
	unblock <- struct{}{}
	if err := <-embedded; err != nil {
		t.Errorf("the running call failed: %v", err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, _, err := g.Plan(context.Background(), "how many orders?", ""); !errors.Is(err, errGeminiClosed) {
		t.Errorf("Plan after Close = %v, want errGeminiClosed", err)
	}
}

// Command browser times the dashboard as a user sees it, in a real browser
// (Debian's Chromium driven by playwright-core) against the real binary in
// serve mode, on a generated buyers file of -rows rows:
//
//   - navigation: a click on "Buyers" in the sidebar (from the Data page,
//     Plotly already loaded at app start) until every chart is drawn: on
//     the first visit of a session (the page reloaded each run), and on a
//     return visit (the kept dashboard shows its charts at once and is
//     timed until it has drawn the refreshed data);
//   - filter: a click on a channel in the filter list until every chart is
//     redrawn with the filtered data;
//
// each -runs times, as median and p95, with the size of the Plotly bundle
// the app ships against the full bundle it used to ship.
//
//	go run ./bench/browser -rows 1000000 -runs 20
//
// The generated file, and the data directory with the imported dataset,
// are kept in -dir and reused by later runs with the same -rows.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"leadnavigator/backend/sample"
)

// The Plotly bundle the app shipped before it moved to the basic bundle
// (plotly.js-dist-min 4.1.2, as Vite emitted it at commit c121d58).
const (
	fullBundleBytes     = 4_643_757
	fullBundleGzipBytes = 1_396_573
)

const (
	email    = "bench@example.com"
	password = "correct horse battery staple"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "rows in the generated buyers file")
	runs := flag.Int("runs", 20, "timed navigations and filter clicks")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "leadnav-bench-browser"), "where the file and the data directory are kept")
	bin := flag.String("bin", "build/bin/lead-navigator", "the app binary (make build)")
	flag.Parse()
	if err := run(*rows, *runs, *dir, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "bench/browser:", err)
		os.Exit(1)
	}
}

func run(rows, runs int, dir, bin string) error {
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("%s not found: run make build first", bin)
	}
	if _, err := os.Stat("frontend/node_modules/playwright-core"); err != nil {
		return errors.New("frontend/node_modules/playwright-core not found: run make build (npm ci) first")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	file := filepath.Join(dir, fmt.Sprintf("buyers-%d.csv", rows))
	if _, err := os.Stat(file); err != nil {
		start := time.Now()
		if err := sample.Write(file, sample.Options{Kind: sample.Buyers, Rows: rows, Seed: 1, End: time.Now().AddDate(0, 0, -1)}); err != nil {
			return err
		}
		fmt.Printf("generated %s in %.1f s\n", filepath.Base(file), time.Since(start).Seconds())
	}
	dataDir := filepath.Join(dir, fmt.Sprintf("data-%d", rows))
	srv, err := startServer(bin, dataDir)
	if err != nil {
		return err
	}
	defer srv.stop()
	if err := ensureDataset(srv.url, file, dataDir); err != nil {
		return fmt.Errorf("%w\nserver log:\n%s", err, srv.log.String())
	}
	res, err := timeInBrowser(srv.url, runs)
	if err != nil {
		return err
	}
	fmt.Printf("dataset: %s, %d rows; %d runs each (Chromium %s)\n", filepath.Base(file), rows, runs, res.Browser)
	report("navigation Data -> Buyers (first visit), charts drawn", res.Navigation.Total, 1000)
	report("  of which waiting for the dashboard's data", res.Navigation.Answer, 0)
	report("navigation, return visit (kept page), new data drawn", res.Return.Total, 1000)
	report("  of which waiting for the dashboard's data", res.Return.Answer, 0)
	report("filter click -> every chart redrawn", res.Filter.Total, 300)
	report("  of which waiting for the dashboard's data", res.Filter.Answer, 0)
	return reportBundle()
}

// report prints median and p95 of times (ms), and whether the median
// meets targetMS (0: no target).
func report(what string, times []float64, targetMS float64) {
	s := append([]float64(nil), times...)
	sort.Float64s(s)
	p := func(q float64) float64 { return s[int(q*float64(len(s)-1)+0.5)] }
	fmt.Printf("%-60s median %6.0f ms  p95 %6.0f ms  min %5.0f  max %5.0f", what+":", p(0.5), p(0.95), s[0], s[len(s)-1])
	if targetMS > 0 {
		fmt.Printf("  (target median <= %.0f ms: %v)", targetMS, p(0.5) <= targetMS)
	}
	fmt.Println()
}

// reportBundle prints the Plotly chunk the embedded build ships and the full bundle it replaced.
func reportBundle() error {
	paths, _ := filepath.Glob("frontend/dist/assets/plotly*.js")
	if len(paths) != 1 {
		return fmt.Errorf("expected one Plotly chunk in frontend/dist/assets, found %d (run make build)", len(paths))
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		return err
	}
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(b)
	w.Close()
	fmt.Printf("Plotly bundle: before %.2f MB (gzip %.2f MB, full plotly.js-dist-min)  after %.2f MB (gzip %.2f MB, %s)  = %.0f%% of before\n",
		mb(fullBundleBytes), mb(fullBundleGzipBytes), mb(len(b)), mb(z.Len()), filepath.Base(paths[0]), 100*float64(len(b))/fullBundleBytes)
	return nil
}

func mb(n int) float64 { return float64(n) / 1e6 }

type server struct {
	url  string
	cmd  *exec.Cmd
	log  *bytes.Buffer
	done chan error
}

func startServer(bin, dataDir string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	s := &server{url: "http://" + addr, log: &bytes.Buffer{}, done: make(chan error, 1)}
	args := []string{"serve", "--addr", addr, "--data-dir", dataDir, "--mock-keyring"}
	if dir := os.Getenv("LN_ASSETS"); dir != "" { // a frontend build on disk instead of the embedded one (as the browser tests allow)
		args = append(args, "--assets", dir)
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.done <- s.cmd.Wait() }()
	for deadline := time.Now().Add(60 * time.Second); ; {
		if r, err := http.Get(s.url + "/"); err == nil {
			r.Body.Close()
			return s, nil
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("server exited: %v\n%s", err, s.log.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("server did not start:\n%s", s.log.String())
		}
	}
}

func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// client calls bound methods over HTTP, keeping the session cookie serve
// mode may set, and passing the token the login returned.
type client struct {
	url   string
	http  *http.Client
	token string
}

func (c *client) call(method string, out any, args ...any) error {
	body, _ := json.Marshal(args)
	r, err := c.http.Post(c.url+"/api/"+method, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer r.Body.Close()
	var res struct {
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
	}
	if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if res.Error != "" {
		return fmt.Errorf("%s: %s", method, res.Error)
	}
	if out != nil {
		return json.Unmarshal(res.Result, out)
	}
	return nil
}

// ensureDataset registers the bench account and imports the file into a
// workspace, once per data directory (a marker file remembers it).
func ensureDataset(url, file, dataDir string) error {
	marker := filepath.Join(dataDir, "bench-imported")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	jar, _ := cookiejar.New(nil)
	c := &client{url: url, http: &http.Client{Jar: jar, Timeout: 30 * time.Minute}}
	var sess struct {
		Token string `json:"token"`
	}
	if err := c.call("Register", &sess, email, password, "Bench User"); err != nil {
		return err
	}
	c.token = sess.Token
	var ws struct {
		ID int64 `json:"id"`
	}
	if err := c.call("CreateWorkspace", &ws, c.token, "Bench"); err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	req, _ := http.NewRequest("POST", url+"/upload", f)
	req.Header.Set("X-Filename", filepath.Base(file))
	if strings.Count(c.token, ".") == 2 { // a real session token (JWT), not a page's stand-in for the cookie
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	r, err := c.http.Do(req)
	if err != nil {
		return err
	}
	var up struct {
		Path  string `json:"path"`
		Error string `json:"error"`
	}
	err = json.NewDecoder(r.Body).Decode(&up)
	r.Body.Close()
	if err != nil || up.Error != "" {
		return fmt.Errorf("upload: %v %s", err, up.Error)
	}
	start := time.Now()
	if err := c.call("ImportFile", nil, c.token, ws.ID, up.Path, ""); err != nil {
		return err
	}
	fmt.Printf("imported %s in %.1f s\n", filepath.Base(file), time.Since(start).Seconds())
	return os.WriteFile(marker, []byte(time.Now().Format(time.RFC3339)), 0o644)
}

type browserResult struct {
	Browser    string  `json:"browser"`
	Navigation timings `json:"navigation"`
	Return     timings `json:"returnVisit"`
	Filter     timings `json:"filter"`
}

// timings of the runs: until every chart was drawn, and until the
// dashboard's data had arrived (the rest is the page drawing it).
type timings struct {
	Total  []float64 `json:"total"`
	Answer []float64 `json:"answer"`
}

// timeInBrowser runs bench/browser/run.mjs with node and reads its JSON.
func timeInBrowser(url string, runs int) (browserResult, error) {
	var res browserResult
	cmd := exec.Command("node", "bench/browser/run.mjs")
	cmd.Env = append(os.Environ(), "LN_URL="+url, "LN_EMAIL="+email, "LN_PASSWORD="+password, fmt.Sprintf("LN_RUNS=%d", runs))
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = io.MultiWriter(os.Stderr)
	if err := cmd.Run(); err != nil {
		return res, fmt.Errorf("node bench/browser/run.mjs: %w", err)
	}
	line := strings.TrimSpace(out.String())
	if i := strings.LastIndex(line, "\n"); i >= 0 {
		line = line[i+1:]
	}
	if err := json.Unmarshal([]byte(line), &res); err != nil {
		return res, fmt.Errorf("reading the browser timings %q: %w", line, err)
	}
	if len(res.Navigation.Total) == 0 || len(res.Filter.Total) == 0 {
		return res, errors.New("the browser returned no timings")
	}
	return res, nil
}

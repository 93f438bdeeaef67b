// Command import benchmarks ingest.Import on generated CSV files of 1M and
// 10M rows (about 20 columns, ~100 bytes a row) and compares it with a
// plain byte read of the same file and with pandas.read_csv.
//
//	go run ./bench/import -rows 1000000,10000000 -dir /tmp/leadnav-bench
//
// Each import runs in a child process (this program re-executed with
// -child) so the peak RSS it reports (VmHWM) belongs to that size alone.
package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/ingest"
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/metrics"
)

func main() {
	rowsFlag := flag.String("rows", "1000000,10000000", "comma-separated row counts")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "leadnav-bench"), "where generated files are kept")
	child := flag.String("child", "", "internal: import this file and print JSON")
	memory := flag.String("memory", "1GB", "DuckDB memory_limit, as the app sets it")
	noPandas := flag.Bool("no-pandas", false, "skip the pandas comparison")
	flag.Parse()
	if *child != "" {
		if err := runChild(*child, *memory); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fail(err)
	}
	for _, s := range strings.Split(*rowsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(fmt.Errorf("bad -rows value %q", s))
		}
		if err := benchOne(*dir, n, *memory, !*noPandas); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench/import:", err)
	os.Exit(1)
}

// childResult is what a child process reports about one import.
type childResult struct {
	Seconds    float64 `json:"seconds"`
	Rows       int64   `json:"rows"`
	Duplicates int64   `json:"duplicates"`
	Columns    int     `json:"columns"`
	PeakRSSKB  int64   `json:"peakRssKb"`
	Types      string  `json:"types"`
	Phases     string  `json:"phases"`     // when each phase started
	CPUSeconds float64 `json:"cpuSeconds"` // user+system time of the child
}

func benchOne(dir string, rows int, memory string, pandas bool) error {
	path := filepath.Join(dir, fmt.Sprintf("leads_%d.csv", rows))
	if err := ensureFile(path, rows); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	mb := float64(st.Size()) / 1e6
	readSec, err := plainRead(path)
	if err != nil {
		return err
	}
	res, err := importInChild(path, memory)
	if err != nil {
		return err
	}
	fmt.Printf("\n== %d rows, %.0f MB, %d columns\n", rows, mb, res.Columns)
	fmt.Printf("types:            %s\n", res.Types)
	fmt.Printf("phases:           %s\n", res.Phases)
	fmt.Printf("plain read:       %.2f s (%.0f MB/s)\n", readSec, mb/readSec)
	fmt.Printf("ingest.Import:    %.2f s wall, %.2f s CPU  %.0f rows/s  %.1f MB/s  peak RSS %.0f MB  (%d rows kept, %d duplicates removed; load average %s)\n",
		res.Seconds, res.CPUSeconds, float64(rows)/res.Seconds, mb/res.Seconds, float64(res.PeakRSSKB)/1024, res.Rows, res.Duplicates, loadAverage())
	fmt.Printf("ratio import/plain read: %.1fx slower\n", res.Seconds/readSec)
	if !pandas {
		return nil
	}
	pd, err := pandasRead(path)
	if err != nil {
		fmt.Printf("pandas.read_csv: skipped (%v)\n", err)
		return nil
	}
	fmt.Printf("pandas.read_csv:  %.2f s wall, %.2f s CPU  -> ingest.Import is %.2fx pandas speed (wall), %.2fx (CPU)  (load average %s)\n",
		pd.wall, pd.cpu, pd.wall/res.Seconds, pd.cpu/res.CPUSeconds, loadAverage())
	same, err := runPandas(pandasPipeline, path)
	if err != nil {
		fmt.Printf("pandas pipeline: skipped (%v)\n", err)
		return nil
	}
	fmt.Printf("pandas, same work (read + type + dedupe + profile): %.2f s wall, %.2f s CPU  -> ingest.Import is %.2fx (wall), %.2fx (CPU)\n",
		same.wall, same.cpu, same.wall/res.Seconds, same.cpu/res.CPUSeconds)
	return nil
}

func importInChild(path, memory string) (childResult, error) {
	var res childResult
	exe, err := os.Executable()
	if err != nil {
		return res, err
	}
	cmd := exec.Command(exe, "-child", path, "-memory", memory)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return res, fmt.Errorf("import child: %w", err)
	}
	return res, json.Unmarshal(out, &res)
}

// runChild imports one file into a fresh engine, like the app does.
func runChild(path, memory string) error {
	dir, err := os.MkdirTemp("", "leadnav-bench-ws-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	m := engine.NewManager(dir, engine.Options{MemoryLimit: memory})
	defer m.Close()
	db, err := m.Workspace(1)
	if err != nil {
		return err
	}
	start := time.Now()
	var phases []string
	last := ""
	progress := func(p ingest.Progress) {
		if p.Phase != last {
			phases = append(phases, fmt.Sprintf("%s@%.1fs", p.Phase, time.Since(start).Seconds()))
			last = p.Phase
		}
	}
	r, err := ingest.Import(context.Background(), db, filepath.Join(m.WorkspaceDir(1), "tmp"), "ds_bench", ingest.Options{Path: path, Progress: progress})
	if err != nil {
		return err
	}
	// The app then maps the file and builds its person index (see
	// metrics.Prepare) before the import counts as done.
	progress(ingest.Progress{Phase: "indexing"})
	d := datasets.Dataset{Table: r.Table, Columns: r.Columns, Mapping: mapping.Suggest(datasets.MappingColumns(r.Columns))}
	names := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		names[i] = c.Name
	}
	d.Kind = mapping.GuessKind(d.Mapping, names)
	if err := metrics.Prepare(context.Background(), db, d); err != nil {
		return err
	}
	var types []string
	for _, c := range r.Columns {
		types = append(types, c.Name+":"+c.Type)
	}
	return json.NewEncoder(os.Stdout).Encode(childResult{
		Seconds: time.Since(start).Seconds(), Rows: r.Rows, Duplicates: r.DuplicatesRemoved,
		Columns: len(r.Columns), PeakRSSKB: peakRSSKB(), Types: strings.Join(types, " "), Phases: strings.Join(phases, " "), CPUSeconds: cpuSeconds(),
	})
}

// cpuSeconds is the user+system CPU time this process has used. On a
// shared machine it is a steadier measure than wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// loadAverage returns /proc/loadavg's 1-minute figure, to judge how
// contended the machine was during a run.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

// peakRSSKB reads this process's high-water resident set size.
func peakRSSKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n
			}
		}
	}
	return -1
}

func plainRead(path string) (float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	start := time.Now()
	_, err = io.Copy(io.Discard, f)
	return time.Since(start).Seconds(), err
}

type timing struct{ wall, cpu float64 }

// pandasRead times pandas.read_csv on the file in a python subprocess.
func pandasRead(path string) (timing, error) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import pandas").Run(); err != nil {
		return timing{}, fmt.Errorf("python3 with pandas not available")
	}
	script := "import sys, time, resource, pandas\n" +
		"t, c = time.time(), time.process_time()\n" +
		"df = pandas.read_csv(sys.argv[1])\n" +
		"print(time.time() - t, time.process_time() - c)\n"
	return runPandas(script, path)
}

// pandasPipeline does in pandas what ingest.Import does (see the script).
//
//go:embed pandas_pipeline.py
var pandasPipeline string

// runPandas runs a python script on path; it prints "wall cpu".
func runPandas(script, path string) (timing, error) {
	py := "/usr/bin/python3"
	out, err := exec.Command(py, "-c", script, path).Output()
	if err != nil {
		return timing{}, fmt.Errorf("pandas run: %w", err)
	}
	var t timing
	_, err = fmt.Sscan(string(out), &t.wall, &t.cpu)
	return t, err
}

// ensureFile generates the benchmark file unless it already exists.
func ensureFile(path string, rows int) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	generate(w, rows)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

var (
	firstNames = []string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "José", "Zoë"}
	lastNames  = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "O'Neil", "Martínez"}
	channels   = []string{"Search", "Organic", "Email", "Social", "Referral", "Display"}
	campaigns  = []string{"spring", "bf24", "retarget", "news", "brand", "NA"}
	states     = []string{"CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI", "WA", "MA"}
	cities     = []string{"Austin", "Boston", "Chicago", "Denver", "Miami", "Seattle", "Reno"}
	devices    = []string{"web", "ios", "android"}
	products   = []string{"Starter", "Pro", "Team", "Enterprise"}
)

// generate writes a deterministic lead/buyer file: about 20 realistic
// columns incl. US dates, ISO datetimes, quoted currency with thousands
// separators, percentages, yes/no, ZIP codes with leading zeros, missing
// values and ~1% exact duplicate rows.
func generate(w *bufio.Writer, rows int) {
	r := rand.New(rand.NewPCG(1, 2))
	w.WriteString("Lead ID,Signup Date,Last Seen,Email,First Name,Last Name,Phone,Channel,Campaign,State,City,ZIP,Device,Product,Revenue,Discount,Quantity,Subscribed,Age,Score\n")
	var prev []byte
	line := make([]byte, 0, 256)
	for i := 0; i < rows; i++ {
		if prev != nil && r.IntN(100) == 0 {
			w.Write(prev) // an exact duplicate, as exports that were appended twice have
			continue
		}
		line = appendRow(line[:0], r, i)
		w.Write(line)
		prev = append(prev[:0], line...)
	}
}

func appendRow(b []byte, r *rand.Rand, i int) []byte {
	first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	b = strconv.AppendInt(b, int64(100000+i), 10)
	b = fmt.Appendf(b, ",%d/%d/2025,2025-%02d-%02d %02d:%02d,", 1+r.IntN(12), 1+r.IntN(28),
		1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60))
	b = fmt.Appendf(b, "%s%d@ex.com,%s,", strings.ToLower(first[:1]), i, first)
	if strings.Contains(last, "'") {
		b = fmt.Appendf(b, "\"%s\",", last)
	} else {
		b = append(b, last...)
		b = append(b, ',')
	}
	b = fmt.Appendf(b, "555-%04d,%s,%s,%s,%s,%05d,%s,%s,", r.IntN(10000),
		channels[r.IntN(len(channels))], campaigns[r.IntN(len(campaigns))], states[r.IntN(len(states))],
		cities[r.IntN(len(cities))], r.IntN(99999), devices[r.IntN(len(devices))], products[r.IntN(len(products))])
	cents := r.IntN(500000)
	if cents >= 100000 {
		b = fmt.Appendf(b, "\"$%d,%03d.%02d\",", cents/100000, cents/100%1000, cents%100)
	} else {
		b = fmt.Appendf(b, "$%d.%02d,", cents/100, cents%100)
	}
	if r.IntN(10) == 0 {
		b = append(b, ',') // missing discount
	} else {
		b = fmt.Appendf(b, "%d.%d%%,", r.IntN(40), r.IntN(10))
	}
	yes := "no"
	if r.IntN(3) == 0 {
		yes = "yes"
	}
	b = fmt.Appendf(b, "%d,%s,%d,%.2f\n", 1+r.IntN(9), yes, 18+r.IntN(60), r.Float64()*100)
	return b
}

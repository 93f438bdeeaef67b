// Command dashboard benchmarks a full Buyers dashboard recompute (every
// KPI of the current and previous period plus every chart series) with
// three filters active, on a generated buyers file of -rows rows, and
// compares it with computing the same KPIs and series with pandas on the
// same file in the same run (pandas' load time reported separately).
//
//	go run ./bench/dashboard -rows 10000000
//
// The generated file and the imported DuckDB database are kept in -dir and
// reused by later runs with the same -rows.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/ingest"
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/metrics"
	"leadnavigator/backend/sample"
)

func main() {
	rows := flag.Int("rows", 10_000_000, "rows in the generated buyers file")
	runs := flag.Int("runs", 50, "timed dashboard recomputes")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "leadnav-bench-dashboard"), "where the file and database are kept")
	memory := flag.String("memory", "1GB", "DuckDB memory_limit, as the app sets it")
	noPandas := flag.Bool("no-pandas", false, "skip the pandas comparison")
	pandasRuns := flag.Int("pandas-runs", 3, "timed pandas computations")
	visitors := flag.Int("visitors", 0, "also time the dashboard with a generated visitors file of this many rows in the workspace (adds the conversion rate)")
	flag.Parse()
	if err := run(*rows, *runs, *dir, *memory, !*noPandas, *pandasRuns, *visitors); err != nil {
		fmt.Fprintln(os.Stderr, "bench/dashboard:", err)
		os.Exit(1)
	}
}

func run(rows, runs int, dir, memory string, withPandas bool, pandasRuns, visitors int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	file := filepath.Join(dir, fmt.Sprintf("buyers-%d.csv", rows))
	if err := ensureFile(file, sample.Buyers, rows); err != nil {
		return err
	}
	m := engine.NewManager(filepath.Join(dir, fmt.Sprintf("engine-%d", rows)), engine.Options{MemoryLimit: memory})
	defer m.Close()
	db, err := m.Workspace(1)
	if err != nil {
		return err
	}
	d, err := ensureDataset(db, m.WorkspaceDir(1), file, datasets.Buyers)
	if err != nil {
		return err
	}
	q, err := benchQuery(db, d)
	if err != nil {
		return err
	}
	fmt.Printf("dataset: %s, %d rows; filters: %s\n", filepath.Base(file), d.Rows, q.Filters.Key())
	start := time.Now()
	if err := metrics.Prepare(context.Background(), db, d); err != nil {
		return err
	}
	fmt.Printf("row indexes (people, dimension key; built once per file and mapping, at import): %.2f s (0 when already built)\n", time.Since(start).Seconds())

	times, dash, err := timeDashboard(db, d, q, runs, nil)
	if err != nil {
		return err
	}
	p50, p95 := percentile(times, 50), percentile(times, 95)
	fmt.Printf("dashboard recompute (%d KPIs, %d charts, %d rows matched) over %d runs: p50 %s  p95 %s  min %s  max %s\n",
		len(dash.KPIs), len(dash.Charts), dash.RowsMatched, runs, ms(p50), ms(p95), ms(times[0]), ms(times[len(times)-1]))
	fmt.Printf("target p95 < 250 ms: %v\n", p95 < 250*time.Millisecond)
	if visitors > 0 {
		if err := timeWithVisitors(db, m.WorkspaceDir(1), dir, d, q, runs, visitors); err != nil {
			return err
		}
	}
	if !withPandas {
		return nil
	}
	pd, err := runPandas(file, q, pandasRuns)
	if err != nil {
		return err
	}
	seconds := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	fmt.Printf("pandas: read_csv + parsing %.1f s; per-customer first purchases and 90-day revenue %.1f s; filtered KPIs and series, median of %d: %s\n",
		pd.Load, pd.Prepare, pandasRuns, ms(seconds(pd.ComputeMedian)))
	// Three fair readings of "computing the same KPIs with pandas": the
	// analyst caches the per-customer table between recomputes (as the app
	// keeps its person index), recomputes it every time, or starts from the
	// file. The target (>= 50x) is judged on each.
	for _, c := range []struct {
		what   string
		pandas float64
	}{
		{"pandas recompute with the per-customer table cached", pd.ComputeMedian},
		{"pandas computing the KPIs from the loaded DataFrame", pd.Prepare + pd.ComputeMedian},
		{"pandas from the file (read_csv included)", pd.Load + pd.Prepare + pd.ComputeMedian},
	} {
		r50, r95 := float64(seconds(c.pandas))/float64(p50), float64(seconds(c.pandas))/float64(p95)
		fmt.Printf("ratio vs %-52s p50 %6.0fx  p95 %6.0fx  (>= 50x: %v)\n", c.what+":", r50, r95, r95 >= 50)
	}
	checkAgreement(dash, pd)
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// timeWithVisitors times the same dashboard with a visitors file in the
// workspace, which adds the conversion rate (unique buyers over unique
// visitors of the same dates).
func timeWithVisitors(db *sql.DB, wsDir, dir string, d datasets.Dataset, q metrics.Query, runs, rows int) error {
	file := filepath.Join(dir, fmt.Sprintf("visitors-%d.csv", rows))
	if err := ensureFile(file, sample.Visitors, rows); err != nil {
		return err
	}
	v, err := ensureDataset(db, wsDir, file, datasets.Visitors)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := metrics.Prepare(context.Background(), db, v); err != nil {
		return err
	}
	fmt.Printf("visitors: %s, %d rows; row indexes %.2f s (0 when already built)\n", filepath.Base(file), v.Rows, time.Since(start).Seconds())
	times, dash, err := timeDashboard(db, d, q, runs, &metrics.Source{DB: db, Dataset: v})
	if err != nil {
		return err
	}
	fmt.Printf("dashboard recompute with the conversion rate (%d KPIs, %d charts) over %d runs: p50 %s  p95 %s  min %s  max %s\n",
		len(dash.KPIs), len(dash.Charts), runs, ms(percentile(times, 50)), ms(percentile(times, 95)), ms(times[0]), ms(times[len(times)-1]))
	// The Visitors dashboard of that file, same dates and channels.
	vq := metrics.Query{Granularity: q.Granularity, Filters: filters.Set{DateFrom: q.Filters.DateFrom, DateTo: q.Filters.DateTo,
		Values: map[string][]string{"channel": q.Filters.Values["channel"]}}}
	times, dash, err = timeRuns(runs, func() (metrics.Dashboard, error) { return metrics.Visitors(context.Background(), db, v, vq) })
	if err != nil {
		return err
	}
	fmt.Printf("visitors dashboard (%d KPIs, %d charts, %d rows matched, filters: dates + channel) over %d runs: p50 %s  p95 %s\n",
		len(dash.KPIs), len(dash.Charts), dash.RowsMatched, runs, ms(percentile(times, 50)), ms(percentile(times, 95)))
	return nil
}

// ensureFile generates a sample file once.
func ensureFile(path, kind string, rows int) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	start := time.Now()
	if err := sample.Write(path, sample.Options{Kind: kind, Rows: rows, Seed: 1}); err != nil {
		return err
	}
	fmt.Printf("generated %s in %.1f s\n", filepath.Base(path), time.Since(start).Seconds())
	return nil
}

// ensureDataset imports the file through the app's importer once, maps it
// as the mapping editor suggests, and keeps the dataset description next
// to the database.
func ensureDataset(db *sql.DB, wsDir, file, kind string) (datasets.Dataset, error) {
	meta := strings.TrimSuffix(file, ".csv") + ".json"
	var d datasets.Dataset
	if b, err := os.ReadFile(meta); err == nil && json.Unmarshal(b, &d) == nil {
		var n int64
		if db.QueryRow("SELECT COUNT(*) FROM "+engine.QuoteIdent(d.Table)).Scan(&n) == nil && n == d.Rows {
			return d, nil
		}
	}
	start := time.Now()
	res, err := ingest.Import(context.Background(), db, filepath.Join(wsDir, "tmp"), "bench_"+kind, ingest.Options{Path: file, MaxBytes: 1 << 40})
	if err != nil {
		return d, err
	}
	fmt.Printf("imported %d rows in %.1f s\n", res.Rows, time.Since(start).Seconds())
	d = datasets.Dataset{ID: 1, WorkspaceID: 1, Name: filepath.Base(file), Kind: kind, Table: res.Table, Rows: res.Rows,
		Columns: res.Columns, Mapping: mapping.Suggest(datasets.MappingColumns(res.Columns))}
	b, _ := json.Marshal(d)
	return d, os.WriteFile(meta, b, 0o644)
}

// benchQuery is three filters: the data's last 365 days (so the previous
// period has rows too), three channels and five states.
func benchQuery(db *sql.DB, d datasets.Dataset) (metrics.Query, error) {
	var last time.Time
	if err := db.QueryRow("SELECT MAX(order_date) FROM " + engine.QuoteIdent(d.Table)).Scan(&last); err != nil {
		return metrics.Query{}, err
	}
	return metrics.Query{Granularity: "week", Filters: filters.Set{
		DateFrom: last.AddDate(0, 0, -364).Format(filters.DateLayout), DateTo: last.Format(filters.DateLayout),
		Values: map[string][]string{
			"channel": {"Email", "Paid Search", "Organic Search"},
			"state":   {"California", "Texas", "Florida", "New York", "Illinois"},
		},
	}}, nil
}

// timeDashboard times the Buyers dashboard of d (see timeRuns).
func timeDashboard(db *sql.DB, d datasets.Dataset, q metrics.Query, runs int, audience *metrics.Source) ([]time.Duration, metrics.Dashboard, error) {
	return timeRuns(runs, func() (metrics.Dashboard, error) { return metrics.Buyers(context.Background(), db, d, q, audience) })
}

// timeRuns runs compute twice to warm up, then times runs more runs; the
// durations come back sorted.
func timeRuns(runs int, compute func() (metrics.Dashboard, error)) ([]time.Duration, metrics.Dashboard, error) {
	var dash metrics.Dashboard
	var err error
	for range 2 {
		if dash, err = compute(); err != nil {
			return nil, dash, err
		}
	}
	times := make([]time.Duration, 0, runs)
	for range runs {
		start := time.Now()
		if dash, err = compute(); err != nil {
			return nil, dash, err
		}
		times = append(times, time.Since(start))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times, dash, nil
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	i := (p*len(sorted)+99)/100 - 1
	if i < 0 {
		i = 0
	}
	return sorted[i]
}

// pandasResult is what pandas_dashboard.py prints.
type pandasResult struct {
	Load          float64            `json:"load"`
	Prepare       float64            `json:"prepare"`
	ComputeMedian float64            `json:"computeMedian"`
	KPIs          map[string]float64 `json:"kpis"`
}

func runPandas(file string, q metrics.Query, runs int) (pandasResult, error) {
	var res pandasResult
	script, err := os.CreateTemp("", "pandas-dashboard-*.py")
	if err != nil {
		return res, err
	}
	defer os.Remove(script.Name())
	if _, err := script.WriteString(pandasScript); err != nil {
		return res, err
	}
	script.Close()
	args, _ := json.Marshal(map[string]any{"file": file, "filters": q.Filters, "runs": runs})
	cmd := exec.Command("/usr/bin/python3", script.Name(), string(args))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return res, fmt.Errorf("pandas: %w", err)
	}
	return res, json.Unmarshal(out, &res)
}

// checkAgreement prints whether pandas and the dashboard agree, so the
// comparison is known to be of the same computation.
func checkAgreement(dash metrics.Dashboard, pd pandasResult) {
	for _, k := range dash.KPIs {
		want, ok := pd.KPIs[k.ID]
		got, isNum := k.Value.(float64)
		if !ok || !isNum {
			continue
		}
		diff := got - want
		if diff < 0 {
			diff = -diff
		}
		status := "ok"
		if diff > 1e-6*max(1, want) {
			status = "MISMATCH"
		}
		fmt.Printf("  %-16s dashboard %-18.4f pandas %-18.4f %s\n", k.ID, got, want, status)
	}
}

package ingest

import (
	"sync"
	"time"
)

// phaseEnds gives the overall percentage at which each phase ends.
// Reading only takes long when Go has to decompress or transcode the file
// (see reporter.readEnd); parsing (DuckDB reading and typing the file)
// dominates the rest.
var phaseEnds = map[string]float64{
	"parsing":       75,
	"typing":        80,
	"deduplicating": 88,
	"profiling":     99,
	"done":          100,
}

// phaseOrder lists the phases; each starts where the previous one ends.
var phaseOrder = []string{"reading", "parsing", "typing", "deduplicating", "profiling", "done"}

// progressInterval throttles callbacks to about five a second.
const progressInterval = 200 * time.Millisecond

// assumedParseRate is the DuckDB parse speed (bytes/s) used to estimate
// progress inside the parsing phase, where DuckDB reports nothing to us;
// bench/import measures the real figure on 2 cores.
const assumedParseRate = 60 << 20

// reporter sends throttled Progress callbacks. Safe for concurrent use by
// the import and its ticker.
type reporter struct {
	fn      func(Progress)
	total   int64
	start   time.Time
	readEnd float64 // percentage at which reading ends

	mu    sync.Mutex
	last  time.Time
	state Progress
}

func newReporter(fn func(Progress), total int64) *reporter {
	return &reporter{fn: fn, total: total, start: time.Now(), readEnd: 20,
		state: Progress{Phase: "reading", BytesTotal: total, ETASeconds: -1}}
}

// update reports progress in a phase; frac is the progress within it
// (0..1); bytes and rows update the counters when positive.
func (r *reporter) update(phase string, frac float64, bytes, rows int64) {
	if r.fn == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	frac = min(max(frac, 0), 1)
	begin, end := r.bounds(phase)
	p := begin + frac*(end-begin)
	s := &r.state
	changed := s.Phase != phase
	s.Phase, s.Percent = phase, max(p, s.Percent)
	if bytes > 0 {
		s.BytesDone = bytes
	}
	if rows > 0 {
		s.Rows = rows
	}
	s.ETASeconds = r.eta(s.Percent)
	now := time.Now()
	if !changed && phase != "done" && now.Sub(r.last) < progressInterval {
		return
	}
	r.last = now
	r.fn(*s)
}

// bounds returns the overall percentages a phase spans.
func (r *reporter) bounds(phase string) (begin, end float64) {
	ends := func(p string) float64 {
		if p == "reading" {
			return r.readEnd
		}
		return phaseEnds[p]
	}
	for i, p := range phaseOrder {
		if p == phase {
			if i > 0 {
				begin = ends(phaseOrder[i-1])
			}
			return begin, ends(p)
		}
	}
	return 0, 0
}

// readDirect tells the reporter that DuckDB reads the file in place, so
// the reading phase (sniffing only) is a sliver of the work.
func (r *reporter) readDirect() {
	r.mu.Lock()
	r.readEnd = 2
	r.mu.Unlock()
}

// eta extrapolates the elapsed time; -1 until there is enough to go on.
func (r *reporter) eta(percent float64) float64 {
	if percent >= 100 {
		return 0
	}
	elapsed := time.Since(r.start).Seconds()
	if percent < 2 || elapsed < 0.5 {
		return -1
	}
	return elapsed * (100 - percent) / percent
}

// tick reports time-based progress through a phase expected to take
// expected, until stop is closed; it never claims more than 95% of it.
func (r *reporter) tick(phase string, expected time.Duration, stop <-chan struct{}) {
	if r.fn == nil {
		return
	}
	begin := time.Now()
	t := time.NewTicker(progressInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			frac := 0.95 * time.Since(begin).Seconds() / expected.Seconds()
			r.update(phase, min(frac, 0.95), 0, 0)
		}
	}
}

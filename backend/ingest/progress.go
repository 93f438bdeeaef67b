package ingest

import (
	"sync"
	"time"
)

// Phases of an import, in order, with the share of the overall percentage
// each one ends at. Reading only takes long when Go has to decompress or
// transcode; parsing (DuckDB reading and typing the file) dominates.
var phaseEnds = map[string]float64{
	"reading":       20,
	"parsing":       75,
	"typing":        78,
	"deduplicating": 88,
	"profiling":     99,
	"done":          100,
}

var phaseStarts = map[string]float64{
	"reading":       0,
	"parsing":       20,
	"typing":        75,
	"deduplicating": 78,
	"profiling":     88,
	"done":          100,
}

// progressInterval throttles callbacks to about five a second.
const progressInterval = 200 * time.Millisecond

// assumedParseRate is the DuckDB parse speed (bytes/s) used to estimate
// progress inside the parsing phase, where DuckDB reports nothing to us;
// bench/import measures the real figure on 2 cores.
const assumedParseRate = 60 << 20

// reporter sends throttled Progress callbacks. Safe for concurrent use by
// the import and its ticker.
type reporter struct {
	fn    func(Progress)
	total int64
	start time.Time

	mu    sync.Mutex
	last  time.Time
	state Progress
}

func newReporter(fn func(Progress), total int64) *reporter {
	return &reporter{fn: fn, total: total, start: time.Now(),
		state: Progress{Phase: "reading", BytesTotal: total, ETASeconds: -1}}
}

// phase moves to a new phase; frac is the progress within it (0..1).
func (r *reporter) update(phase string, frac float64, bytes, rows int64) {
	if r.fn == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	frac = min(max(frac, 0), 1)
	p := phaseStarts[phase] + frac*(phaseEnds[phase]-phaseStarts[phase])
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

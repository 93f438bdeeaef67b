package ingest

import (
	"testing"
	"time"
)

func TestReporterThrottlesButAlwaysReportsPhaseChanges(t *testing.T) {
	var got []Progress
	r := newReporter(func(p Progress) { got = append(got, p) }, 1000)
	start := time.Now()
	for i := 0; i < 1000; i++ {
		r.update("reading", float64(i)/1000, int64(i), 0)
	}
	elapsed := time.Since(start)
	if limit := 1 + int(elapsed/progressInterval) + 1; len(got) > limit {
		t.Fatalf("%d callbacks in %v, want at most %d", len(got), elapsed, limit)
	}
	for _, phase := range []string{"parsing", "typing", "deduplicating", "profiling", "done"} {
		n := len(got)
		r.update(phase, 1, 0, 5)
		if len(got) != n+1 || got[n].Phase != phase {
			t.Fatalf("phase change to %s not reported", phase)
		}
	}
	if last := got[len(got)-1]; last.Percent != 100 || last.ETASeconds != 0 || last.Rows != 5 {
		t.Fatalf("done reported as %+v", last)
	}
}

func TestReporterPhaseBounds(t *testing.T) {
	r := newReporter(nil, 0)
	prev := 0.0
	for _, phase := range phaseOrder {
		begin, end := r.bounds(phase)
		if begin != prev || end < begin {
			t.Fatalf("%s spans %v..%v after %v", phase, begin, end, prev)
		}
		prev = end
	}
	if prev != 100 {
		t.Fatalf("phases end at %v", prev)
	}
	r.readDirect()
	if _, end := r.bounds("reading"); end != 2 {
		t.Fatalf("direct read ends at %v", end)
	}
	if begin, _ := r.bounds("parsing"); begin != 2 {
		t.Fatalf("parsing starts at %v after a direct read", begin)
	}
}

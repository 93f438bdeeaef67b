package sample

import (
	"bufio"
	"io"
	"testing"
)

// BenchmarkWriteCSV reports generated rows per second for CSV output
// (discarding the bytes, so it measures the generator and formatting).
func BenchmarkWriteCSV(b *testing.B) {
	for _, kind := range []string{Buyers, Visitors} {
		b.Run(kind, func(b *testing.B) {
			g, err := NewGenerator(Options{Kind: kind, Rows: b.N, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			bw := bufio.NewWriterSize(io.Discard, bufferSize)
			b.ResetTimer()
			if err := WriteText(bw, g, ','); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

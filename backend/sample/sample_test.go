package sample

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// formats lists one file name per supported format with a row count that
// keeps the test quick (xlsx is the slow one).
var formats = []struct {
	name string
	rows int
}{
	{"s.csv", 3000}, {"s.tsv", 3000}, {"s.csv.gz", 3000}, {"s.tsv.gz", 3000}, {"s.xlsx", 400},
}

func writeSample(t *testing.T, dir, name string, opts Options) []byte {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := Write(path, opts); err != nil {
		t.Fatalf("Write(%s): %v", name, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestSameSeedGivesSameBytes(t *testing.T) {
	for _, f := range formats {
		for _, kind := range []string{Buyers, Visitors} {
			opts := Options{Kind: kind, Rows: f.rows, Seed: 7}
			first := writeSample(t, t.TempDir(), f.name, opts)
			again := writeSample(t, t.TempDir(), f.name, opts)
			if !bytes.Equal(first, again) {
				t.Errorf("%s %s: two runs with seed 7 differ", kind, f.name)
			}
			opts.Seed = 8
			other := writeSample(t, t.TempDir(), f.name, opts)
			if bytes.Equal(first, other) {
				t.Errorf("%s %s: seeds 7 and 8 gave the same bytes", kind, f.name)
			}
		}
	}
}

// generated returns header and rows straight from a generator.
func generated(t *testing.T, opts Options) [][]string {
	t.Helper()
	g, err := NewGenerator(opts)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]string{g.Header()}
	for row, ok := g.Next(); ok; row, ok = g.Next() {
		rows = append(rows, row)
	}
	if len(rows) != opts.Rows+1 {
		t.Fatalf("generator gave %d rows, want %d", len(rows)-1, opts.Rows)
	}
	return rows
}

func TestEveryFormatReadsBack(t *testing.T) {
	dir := t.TempDir()
	for _, f := range formats {
		opts := Options{Kind: Buyers, Rows: f.rows, Seed: 3}
		writeSample(t, dir, f.name, opts)
		got := readBack(t, filepath.Join(dir, f.name))
		if want := generated(t, opts); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read back %d rows that differ from the generator's %d", f.name, len(got), len(want))
		}
	}
}

// readBack parses a sample file with the standard readers.
func readBack(t *testing.T, path string) [][]string {
	t.Helper()
	if strings.HasSuffix(path, ".xlsx") {
		book, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer book.Close()
		rows, err := book.GetRows(SheetName)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var r io.Reader = file
	if strings.HasSuffix(path, ".gz") {
		if r, err = gzip.NewReader(file); err != nil {
			t.Fatal(err)
		}
	}
	cr := csv.NewReader(r)
	if strings.Contains(path, ".tsv") {
		cr.Comma = '\t'
	}
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func TestXLSXRowLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.xlsx")
	err := Write(path, Options{Kind: Buyers, Rows: MaxXLSXRows + 1, Seed: 1})
	if err == nil || !strings.Contains(err.Error(), "1048576 rows do not fit in an .xlsx sheet") {
		t.Fatalf("want a row-limit error, got %v", err)
	}
	if _, statErr := os.Stat(path); !os.IsNotExist(statErr) {
		t.Errorf("a refused file must not be created (stat: %v)", statErr)
	}
}

func TestRejectsBadOptionsAndExtensions(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"x.csv", Options{Kind: "leads", Rows: 1}, `unknown sample kind "leads"`},
		{"x.csv", Options{Kind: Buyers, Rows: -1}, "rows must be 0 or more"},
		{"x.json", Options{Kind: Buyers, Rows: 1}, "unsupported extension"},
	}
	for _, c := range cases {
		err := Write(filepath.Join(dir, c.name), c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Write(%s, %+v) = %v, want an error containing %q", c.name, c.opts, err, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed writes left files behind: %v", entries)
	}
}

func TestZeroRowsWritesOnlyTheHeader(t *testing.T) {
	data := writeSample(t, t.TempDir(), "empty.csv", Options{Kind: Visitors, Rows: 0, Seed: 1})
	if want := strings.Join(visitorHeader, ",") + "\n"; string(data) != want {
		t.Errorf("got %q, want %q", data, want)
	}
}

func TestAppendCurrency(t *testing.T) {
	cases := map[int64]string{
		0: "$0.00", 5: "$0.05", 123450: "$1,234.50", 99999999: "$999,999.99", 100000000: "$1,000,000.00", -250: "-$2.50",
	}
	for cents, want := range cases {
		if got := string(appendCurrency(nil, cents)); got != want {
			t.Errorf("appendCurrency(%d) = %q, want %q", cents, got, want)
		}
	}
}

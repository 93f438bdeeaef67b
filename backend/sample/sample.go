// Package sample generates realistic, deterministic buyer and visitor files
// for demos, tests and benchmarks: the same Options always give the same
// bytes.
package sample

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options says what to generate.
type Options struct {
	Kind string // Buyers or Visitors
	Rows int    // data rows, not counting the header
	Seed int64
	// End is the last day of the data; zero means Anchor(Seed), a fixed date,
	// so files are byte-identical per seed. The app's first-run sample data
	// ends yesterday, so "last quarter" questions have answers.
	End time.Time
}

// MaxXLSXRows is the most data rows an .xlsx sheet holds (Excel's
// 1,048,576-row limit, less the header).
const MaxXLSXRows = 1_048_575

const bufferSize = 1 << 20

// Format is a file format, chosen from the output file's extension.
type Format struct {
	Sep   byte // ',' or '\t' for text formats
	Gzip  bool
	Excel bool
}

// FormatOf returns the format for path's extension: .csv, .tsv, .csv.gz,
// .tsv.gz or .xlsx.
func FormatOf(path string) (Format, error) {
	name := strings.ToLower(filepath.Base(path))
	switch {
	case strings.HasSuffix(name, ".xlsx"):
		return Format{Excel: true}, nil
	case strings.HasSuffix(name, ".csv.gz"):
		return Format{Sep: ',', Gzip: true}, nil
	case strings.HasSuffix(name, ".tsv.gz"):
		return Format{Sep: '\t', Gzip: true}, nil
	case strings.HasSuffix(name, ".csv"):
		return Format{Sep: ','}, nil
	case strings.HasSuffix(name, ".tsv"):
		return Format{Sep: '\t'}, nil
	}
	return Format{}, fmt.Errorf("%s: unsupported extension (use .csv, .tsv, .csv.gz, .tsv.gz or .xlsx)", path)
}

// Write generates a sample file at path in the format its extension names.
// The file appears only once complete (it is written next to path and
// renamed).
func Write(path string, opts Options) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	if format.Excel && opts.Rows > MaxXLSXRows {
		return fmt.Errorf("%s: %d rows do not fit in an .xlsx sheet (at most %d data rows); use .csv or .csv.gz",
			path, opts.Rows, MaxXLSXRows)
	}
	g, err := NewGenerator(opts)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if format.Excel {
		err = writeXLSX(tmp, g)
	} else {
		err = writeText(tmp, g, format)
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// writeText writes CSV or TSV, gzip-compressed if format.Gzip.
func writeText(w io.Writer, g *Generator, format Format) error {
	var zw *gzip.Writer
	if format.Gzip {
		var err error
		if zw, err = gzip.NewWriterLevel(w, gzip.BestSpeed); err != nil {
			return err
		}
		w = zw
	}
	bw := bufio.NewWriterSize(w, bufferSize)
	if err := WriteText(bw, g, format.Sep); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if zw != nil {
		return zw.Close()
	}
	return nil
}

// WriteText writes the header and all remaining rows of g as delimited text
// (RFC 4180 quoting for fields that contain sep) to w.
func WriteText(w *bufio.Writer, g *Generator, sep byte) error {
	var line []byte
	for i, name := range g.Header() {
		line = appendField(line, []byte(name), i, sep)
	}
	line = append(line, '\n')
	if _, err := w.Write(line); err != nil {
		return err
	}
	for g.advance() {
		line = line[:0]
		start := 0
		for i, end := range g.ends {
			line = appendField(line, g.buf[start:end], i, sep)
			start = end
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// appendField appends one field, quoted if it contains sep. Generated values
// never contain quotes or line breaks.
func appendField(line, field []byte, i int, sep byte) []byte {
	if i > 0 {
		line = append(line, sep)
	}
	if bytes.IndexByte(field, sep) < 0 {
		return append(line, field...)
	}
	line = append(line, '"')
	line = append(line, field...)
	return append(line, '"')
}

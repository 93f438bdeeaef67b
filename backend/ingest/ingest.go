// Package ingest imports lead, buyer and visitor files (CSV, TSV, any of
// them gzipped, XLSX) into a workspace's DuckDB database.
//
// Pipeline (Import):
//  1. Go sniffs the first 64 KB: gzip/zip magic, known binary formats,
//     encoding (BOM, UTF-16, UTF-8, Windows-1252/Latin-1), separator
//     (quote-aware) and line ending.
//  2. Plain UTF-8 text is read by DuckDB in place, in parallel. Gzip
//     (with zip-bomb limits), UTF-16, Windows-1252/Latin-1 and XLSX are
//     first streamed by Go into a temporary UTF-8 CSV in tmpDir.
//  3. Go reads the header (normalized to unique snake_case names) and a
//     sample (first 20k records plus records spread through the file) and
//     infers each column's type.
//  4. One CREATE TABLE ... AS SELECT parses the whole file and converts
//     every column with SQL (TRY_CAST, strptime, ...), also storing per row
//     a bit mask of columns whose text failed to convert. One aggregate
//     scan then gets the row count, distinct row hashes, the OR of the
//     masks and min/max/null/distinct statistics. Failing columns are
//     demoted (integer -> decimal -> text) and the file is re-read; this
//     only happens when the sample misjudged a column.
//  5. Duplicate rows are deleted in place only if the hash count shows
//     any; top values are counted; the scratch table is renamed to its
//     final name in one transaction.
package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
)

// Options for one import.
type Options struct {
	Path        string         // file to read
	DisplayName string         // file name used in messages (default: base of Path)
	MaxBytes    int64          // refuse larger files; default 2 GiB
	Progress    func(Progress) // may be nil; called at most ~5 times a second
}

// Progress reports how far an import is.
type Progress struct {
	Phase      string  `json:"phase"` // "reading", "parsing", "typing", "deduplicating", "profiling", "done"
	BytesDone  int64   `json:"bytesDone"`
	BytesTotal int64   `json:"bytesTotal"`
	Rows       int64   `json:"rows"`
	Percent    float64 `json:"percent"`    // 0..100 overall estimate
	ETASeconds float64 `json:"etaSeconds"` // -1 when unknown
}

// Result describes an imported table.
type Result struct {
	Table             string
	Rows              int64
	Columns           []datasets.Column // profile: name, original header, type, nulls, nullPct, distinct, min, max, top 5
	DuplicatesRemoved int64
	Encoding          string // "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1"
	Separator         string // ",", ";", "\t", "|"
	HeaderSignature   string // stable hash of the normalized column names (order-insensitive), for saved mappings
	Seconds           float64
}

// Error is a user-facing import error.
type Error struct {
	File   string
	Line   int64 // 0 if n/a
	Column string
	Msg    string
}

// Error formats as "leads.csv line 12: expected 7 fields, found 9" or
// "leads.csv: file is empty".
func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Column != "" {
		loc += fmt.Sprintf(" column %q", e.Column)
	}
	return loc + ": " + e.Msg
}

// Import reads opts.Path and creates DuckDB table `table` in db with the typed, de-duplicated rows.
// Atomic: rows are staged in a scratch table and renamed into place in one transaction; on any error
// or ctx cancellation nothing named `table` exists and no scratch tables are left behind.
// tmpDir is for temporary files (the workspace's tmp dir). Cancelling ctx stops promptly with ctx.Err().
func Import(ctx context.Context, db *sql.DB, tmpDir, table string, opts Options) (Result, error) {
	im := &importer{db: db, tmpDir: tmpDir, table: table, opts: opts, start: time.Now()}
	defer im.cleanup()
	res, err := im.run(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		return Result{}, err
	}
	return res, nil
}

// DefaultMaxBytes is the file size limit when Options.MaxBytes is 0.
const DefaultMaxBytes int64 = 2 << 30

// importer holds the state of one import.
type importer struct {
	db       *sql.DB
	tmpDir   string
	table    string
	opts     Options
	file     string // display name
	size     int64  // of the user's file
	textSize int64  // of the UTF-8 text DuckDB parses
	start    time.Time
	prog     *reporter
	src      *source

	temps   []string // temporary files to delete
	scratch []string // scratch tables to drop
}

func (im *importer) run(ctx context.Context) (Result, error) {
	if err := im.checkInputs(ctx); err != nil {
		return Result{}, err
	}
	src, err := im.prepare(ctx)
	if err != nil {
		return Result{}, err
	}
	im.src = src
	if src.path == im.opts.Path {
		im.prog.readDirect()
	}
	if st, err := os.Stat(src.path); err == nil {
		im.textSize = st.Size()
	}
	smp, err := im.readSample(src)
	if err != nil {
		return Result{}, err
	}
	names := normalizeHeader(smp.header)
	ld, err := im.load(ctx, src, names, inferTypes(smp), smp)
	if err != nil {
		return Result{}, err
	}
	rows, err := im.dedup(ctx, ld, names)
	if err != nil {
		return Result{}, err
	}
	cols, err := im.profile(ctx, ld, names, smp.header, rows)
	if err != nil {
		return Result{}, err
	}
	if err := im.publish(ctx, ld.scratch); err != nil {
		return Result{}, err
	}
	im.prog.update("done", 1, im.size, rows)
	return Result{
		Table: im.table, Rows: rows, Columns: cols, DuplicatesRemoved: ld.rows - rows,
		Encoding: src.encoding, Separator: string(src.separator), HeaderSignature: headerSignature(names),
		Seconds: time.Since(im.start).Seconds(),
	}, nil
}

// checkInputs validates options and refuses oversized files before reading.
func (im *importer) checkInputs(ctx context.Context) error {
	im.file = im.opts.DisplayName
	if im.file == "" {
		im.file = filepath.Base(im.opts.Path)
	}
	if im.opts.MaxBytes <= 0 {
		im.opts.MaxBytes = DefaultMaxBytes
	}
	st, err := os.Stat(im.opts.Path)
	if err != nil {
		return im.fail(0, "cannot open file: %v", errors.Unwrap(err))
	}
	if st.IsDir() {
		return im.fail(0, "is a folder, not a file")
	}
	im.size = st.Size()
	im.prog = newReporter(im.opts.Progress, im.size)
	if im.size == 0 {
		return im.fail(0, "file is empty")
	}
	if im.size > im.opts.MaxBytes {
		return im.fail(0, "file is %s, larger than the %s import limit", humanBytes(im.size), humanBytes(im.opts.MaxBytes))
	}
	if !validTableName(im.table) {
		return fmt.Errorf("invalid table name %q", im.table)
	}
	exists, err := tableExists(ctx, im.db, im.table)
	if err != nil {
		return err
	}
	if exists {
		return fmt.Errorf("table %q already exists in this workspace", im.table)
	}
	return nil
}

// fail builds a user-facing error about the file.
func (im *importer) fail(line int64, format string, args ...any) *Error {
	return &Error{File: im.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (im *importer) readProgress(n int64) {
	im.prog.update("reading", float64(n)/float64(max(im.size, 1)), n, 0)
}

func (im *importer) rowProgress(rows int64) {
	im.prog.update("reading", 0, 0, rows)
}

// cleanup removes temporary files and scratch tables. It runs after the
// caller's context may have been cancelled, so it uses its own.
func (im *importer) cleanup() {
	for _, p := range im.temps {
		os.Remove(p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, t := range im.scratch {
		im.db.ExecContext(ctx, "DROP TABLE IF EXISTS "+engine.QuoteIdent(t))
	}
}

// Package export writes tables (filtered dataset rows, KPI summaries, the
// audit trail) to CSV or XLSX files. Rows are streamed: XLSX goes through
// excelize's StreamWriter, so millions of rows never sit in memory.
//
// Text cells that a spreadsheet would run as a formula (starting with = + -
// @, tab or carriage return) are neutralized by prefixing an apostrophe;
// numbers stay numbers. Dates and times are written as ISO 8601 text.
package export

import (
	"bufio"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Rows produces the rows of a table by calling yield once per row; it stops
// and returns yield's error if yield fails.
type Rows = func(yield func([]any) error) error

// MaxXLSXRows is the number of data rows an XLSX sheet can hold (Excel's
// 1,048,576 rows minus the header).
const MaxXLSXRows = 1048575

// ErrTooManyRows is returned when an XLSX export would exceed MaxXLSXRows.
var ErrTooManyRows = errors.New("XLSX holds at most 1,048,575 rows; narrow the filters or export as CSV")

// Write writes header and rows to path; the format follows the extension
// (.csv or .xlsx). The file appears only when complete: it is written to a
// temporary name in the same folder and renamed.
func Write(path string, header []string, rows Rows) error {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".csv" && ext != ".xlsx" {
		return fmt.Errorf("cannot export to %q: use a .csv or .xlsx file name", filepath.Base(path))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*"+ext)
	if err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // no-op after a successful rename
	if ext == ".csv" {
		err = writeCSV(tmp, header, rows)
	} else {
		err = writeXLSX(tmp, header, rows)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export to %s: %w", filepath.Base(path), err)
	}
	return os.Rename(tmpName, path)
}

func writeCSV(f *os.File, header []string, rows Rows) error {
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	cells := make([]string, len(header))
	for i, h := range header {
		cells[i] = Neutralize(h)
	}
	if err := w.Write(cells); err != nil {
		return err
	}
	err := rows(func(vals []any) error {
		cells = cells[:0]
		for _, v := range vals {
			cells = append(cells, Text(v))
		}
		return w.Write(cells)
	})
	if err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func writeXLSX(f *os.File, header []string, rows Rows) error {
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "Sheet1"
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if len(header) > 0 {
		if err := sw.SetColWidth(1, len(header), 18); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: bold, Value: Neutralize(h)}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	n := 0
	cells := make([]any, 0, len(header))
	err = rows(func(vals []any) error {
		n++
		if n > MaxXLSXRows {
			return ErrTooManyRows
		}
		cells = cells[:0]
		for _, v := range vals {
			cells = append(cells, xlsxValue(v))
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.Write(f)
}

// xlsxValue keeps numbers and booleans native and turns everything else
// into neutralized text.
func xlsxValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool:
		return x
	case float32:
		return finiteOrText(float64(x))
	case float64:
		return finiteOrText(x)
	case interface{ Float64() float64 }: // DuckDB DECIMAL
		return finiteOrText(x.Float64())
	}
	return Text(v)
}

func finiteOrText(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return f
}

// Text formats one value for a text cell: ISO dates and times, plain
// numbers, neutralized strings, "" for NULL.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return Neutralize(x)
	case []byte:
		return Neutralize(string(x))
	case time.Time:
		return ISOTime(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case *big.Int:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case int, int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x)
	case fmt.Stringer:
		return Neutralize(x.String())
	}
	return Neutralize(fmt.Sprint(v))
}

// ISOTime formats a date as YYYY-MM-DD and a date-time as
// YYYY-MM-DDTHH:MM:SS (with fractional seconds when present).
func ISOTime(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	if t.Nanosecond() != 0 {
		return t.Format("2006-01-02T15:04:05.999999")
	}
	return t.Format("2006-01-02T15:04:05")
}

// Neutralize prefixes text that a spreadsheet would evaluate as a formula
// with an apostrophe, so the cell shows the text instead of running it.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// SQLRows adapts a query result to Rows, scanning each row into fresh
// values. It closes rows when done.
func SQLRows(rows *sql.Rows) Rows {
	return func(yield func([]any) error) error {
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			if err := yield(vals); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}

// Slice adapts in-memory rows to Rows (for small tables such as KPI summaries).
func Slice(data [][]any) Rows {
	return func(yield func([]any) error) error {
		for _, r := range data {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	}
}

var unsafeChars = strings.NewReplacer("/", "_", "\\", "_", ":", "_", "*", "_", "?", "_", `"`, "_", "<", "_", ">", "_", "|", "_", " ", "_")

// SafeName turns a title into a file name safe on every OS and in a URL
// path segment, e.g. "Buyers Q1 / 2026" + ".xlsx" -> "Buyers_Q1___2026.xlsx".
func SafeName(title, ext string) string {
	var b strings.Builder
	for _, r := range unsafeChars.Replace(strings.TrimSpace(title)) {
		if r == '.' || r == '_' || r == '-' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	name := strings.Trim(b.String(), "._")
	if name == "" {
		name = "export"
	}
	if len(name) > 80 {
		name = name[:80]
	}
	return name + ext
}

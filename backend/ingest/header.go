package ingest

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode"
)

// Sample sizes for type inference: the first headRows records plus
// spreadRows records after each of spreadPoints offsets through the file,
// so a column that changes shape late in the file is usually caught before
// the verification pass has to demote it.
const (
	headRows     = 20000
	spreadPoints = 16
	spreadRows   = 500
)

// sample is the header and a sample of records read by Go.
type sample struct {
	header []string   // as in the file
	rows   [][]string // records with at most len(header) fields
}

// newCSVReader reads records the way DuckDB will: RFC 4180 quoting, any
// field count per record.
func newCSVReader(r io.Reader, sep byte) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = rune(sep)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return cr
}

// readSample reads the header and sample records of a UTF-8 source.
func (im *importer) readSample(src *source) (*sample, error) {
	f, err := os.Open(src.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	if b, _ := br.Peek(3); len(b) == 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf {
		br.Discard(3)
	}
	s, err := readHeadSample(br, src.separator, headRows)
	if err != nil {
		return nil, im.wrapCSV(err)
	}
	if s == nil || (len(s.rows) == 0 && blank(s.header)) {
		return nil, im.fail(0, "file is empty")
	}
	if len(s.rows) == 0 {
		return nil, im.fail(0, "the file has a header row but no data rows")
	}
	if len(s.rows) == headRows {
		st, err := f.Stat()
		if err != nil {
			return nil, err
		}
		s.rows = append(s.rows, spreadSample(f, st.Size(), src.separator, len(s.header))...)
	}
	return s, nil
}

// readHeadSample reads the header record and up to n data records.
// It returns nil when there is no header (an empty or blank file).
func readHeadSample(r io.Reader, sep byte, n int) (*sample, error) {
	cr := newCSVReader(r, sep)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s := &sample{header: header}
	for len(s.rows) < n {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) <= len(header) && !(len(rec) == 1 && rec[0] == "") {
			s.rows = append(s.rows, rec)
		}
	}
	return s, nil
}

// spreadSample reads a few records after evenly spaced offsets. An offset
// may land inside a quoted field; records that do not fit the header are
// dropped, and the verification pass over the whole file keeps the result
// correct either way.
func spreadSample(f *os.File, size int64, sep byte, width int) [][]string {
	var rows [][]string
	for k := int64(1); k < spreadPoints; k++ {
		if _, err := f.Seek(size*k/spreadPoints, io.SeekStart); err != nil {
			break
		}
		br := bufio.NewReaderSize(f, 1<<16)
		if _, err := br.ReadSlice('\n'); err != nil {
			continue
		}
		cr := newCSVReader(br, sep)
		for i := 0; i < spreadRows; i++ {
			rec, err := cr.Read()
			if err != nil {
				break
			}
			if len(rec) == width {
				rows = append(rows, rec)
			}
		}
	}
	return rows
}

// wrapCSV turns an encoding/csv parse error into a user-facing *Error.
func (im *importer) wrapCSV(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return im.fail(int64(pe.StartLine), "%v", pe.Err)
	}
	return err
}

// normalizeHeader returns unique snake_case column names for a header:
// "First Name" -> first_name, a repeated name -> name_2, an empty header
// -> column_<position>.
func normalizeHeader(header []string) []string {
	names := make([]string, len(header))
	// "rowid" would shadow DuckDB's row id pseudo-column, which the
	// duplicate removal relies on; a column named so becomes rowid_2.
	used := map[string]bool{"rowid": true}
	for i, h := range header {
		base := snakeCase(h)
		if base == "" {
			base = fmt.Sprintf("column_%d", i+1)
		}
		name := base
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s_%d", base, n)
		}
		used[name] = true
		names[i] = name
	}
	return names
}

// snakeCase lower-cases a header and joins its words with underscores;
// camelCase boundaries and symbols split words, "%" reads as "pct" and "#"
// as "num".
func snakeCase(h string) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	h = strings.NewReplacer("%", " pct ", "#", " num ", "&", " and ").Replace(h)
	var b strings.Builder
	prevLower, pendingSep := false, false
	for _, r := range h {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			pendingSep = b.Len() > 0
			prevLower = false
			continue
		}
		if unicode.IsUpper(r) && prevLower {
			pendingSep = true
		}
		if pendingSep {
			b.WriteByte('_')
			pendingSep = false
		}
		b.WriteRune(unicode.ToLower(r))
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	return b.String()
}

// headerSignature hashes the normalized column names ignoring their order,
// so a re-exported file with shuffled columns maps the same way.
func headerSignature(names []string) string {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	sum := sha256.Sum256([]byte(strings.Join(sorted, "\n")))
	return hex.EncodeToString(sum[:16])
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

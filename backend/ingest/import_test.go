package ingest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func TestErrorMessage(t *testing.T) {
	e := &Error{File: "leads.csv", Line: 12, Msg: "expected 7 fields, found 9"}
	if got := e.Error(); got != "leads.csv line 12: expected 7 fields, found 9" {
		t.Fatal(got)
	}
	if got := (&Error{File: "leads.csv", Msg: "file is empty"}).Error(); got != "leads.csv: file is empty" {
		t.Fatal(got)
	}
}

func utf16(t *testing.T, s string, big bool) []byte {
	t.Helper()
	order := unicode.LittleEndian
	if big {
		order = unicode.BigEndian
	}
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportEncodings(t *testing.T) {
	text := "id,name\n1,Zoë\n2,Café “Chez Nous”\n"
	cases := []struct {
		enc  string
		data []byte
		want []string
	}{
		{encUTF8, []byte(text), []string{"Zoë", "Café “Chez Nous”"}},
		{encUTF8BOM, append([]byte("\xef\xbb\xbf"), text...), []string{"Zoë", "Café “Chez Nous”"}},
		{encUTF16LE, utf16(t, text, false), []string{"Zoë", "Café “Chez Nous”"}},
		{encUTF16BE, utf16(t, text, true), []string{"Zoë", "Café “Chez Nous”"}},
		{encCP1252, []byte("id,name\n1,\x80 5 \x96 \x93quoted\x94\n2,caf\xe9\n"), []string{"€ 5 – “quoted”", "café"}},
		{encLatin1, []byte("id,name\n1,Jos\xe9\n2,M\xfcller\n"), []string{"José", "Müller"}},
	}
	for _, c := range cases {
		t.Run(c.enc, func(t *testing.T) {
			db, res, err := importFile(t, writeFile(t, "people.csv", c.data))
			if err != nil {
				t.Fatal(err)
			}
			if res.Encoding != c.enc || res.Rows != 2 {
				t.Fatalf("encoding %q rows %d, want %q 2", res.Encoding, res.Rows, c.enc)
			}
			if got := queryStrings(t, db, `SELECT name FROM t ORDER BY id`); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if res.Columns[0].Name != "id" || res.Columns[0].Type != typeInteger {
				t.Fatalf("BOM or encoding leaked into the header: %+v", res.Columns[0])
			}
		})
	}
}

func TestImportSeparators(t *testing.T) {
	for _, sep := range []string{",", ";", "\t", "|"} {
		t.Run(fmt.Sprintf("%q", sep), func(t *testing.T) {
			other := map[string]string{",": ";", ";": ",", "\t": ",", "|": ","}[sep]
			content := strings.Join([]string{
				strings.Join([]string{"id", "note", "city"}, sep),
				strings.Join([]string{"1", `"has ` + sep + ` inside"`, "Austin" + other + "TX"}, sep),
				strings.Join([]string{"2", `"say ""hi"""`, "Boston"}, sep),
			}, "\n") + "\n"
			db, res := mustImport(t, "x.txt", content)
			if res.Separator != sep {
				t.Fatalf("separator %q, want %q", res.Separator, sep)
			}
			got := queryStrings(t, db, `SELECT note || '/' || city FROM t ORDER BY id`)
			want := []string{"has " + sep + " inside/Austin" + other + "TX", `say "hi"/Boston`}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
	}
}

func TestImportCRLF(t *testing.T) {
	db, res := mustImport(t, "win.csv", "id,note\r\n1,\"two\r\nlines\"\r\n2,plain\r\n")
	if res.Rows != 2 {
		t.Fatalf("rows %d", res.Rows)
	}
	if got := queryStrings(t, db, `SELECT note FROM t ORDER BY id`); !reflect.DeepEqual(got, []string{"two\r\nlines", "plain"}) {
		t.Fatalf("got %q", got)
	}
}

// bigQuotedFile has n rows whose note field holds a quoted newline and
// separator, large enough for DuckDB to split it between threads.
func bigQuotedFile(n int, tail string) string {
	var b strings.Builder
	b.WriteString("id,note,amount\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d,\"first line %d, with comma\nsecond line\",%d.5\n", i, i, i%1000)
	}
	b.WriteString(tail)
	return b.String()
}

func TestImportQuotedNewlinesInParallel(t *testing.T) {
	// DuckDB 1.5 hands each thread 8 MB of the file; at ~55 bytes a row
	// this file spans three such chunks, so threads start inside quoted
	// fields and must resynchronise correctly.
	const n = 400000
	db, res := mustImport(t, "notes.csv", bigQuotedFile(n, ""))
	if res.Rows != n {
		t.Fatalf("rows %d, want %d", res.Rows, n)
	}
	got := queryStrings(t, db, `SELECT note FROM t WHERE id IN (0, 177777, 399999) ORDER BY id`)
	want := []string{"first line 0, with comma\nsecond line", "first line 177777, with comma\nsecond line", "first line 399999, with comma\nsecond line"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	var sum float64
	var bad int
	if err := db.QueryRow(`SELECT sum(amount), count(*) FILTER (WHERE note NOT LIKE 'first line %, with comma' || chr(10) || 'second line') FROM t`).Scan(&sum, &bad); err != nil {
		t.Fatal(err)
	}
	if sum != n/1000*(999*1000/2+500) || bad != 0 {
		t.Fatalf("sum %v, %d mangled notes: rows were split or merged", sum, bad)
	}
}

func TestImportShortRowsArePadded(t *testing.T) {
	db, res := mustImport(t, "short.csv", "a,b,c\n1,2,3\n4,5\n6\n")
	if res.Rows != 3 {
		t.Fatalf("rows %d", res.Rows)
	}
	if got := queryStrings(t, db, `SELECT concat_ws('|', a, coalesce(b::VARCHAR, 'NULL'), coalesce(c::VARCHAR, 'NULL')) FROM t ORDER BY a`); !reflect.DeepEqual(got, []string{"1|2|3", "4|5|NULL", "6|NULL|NULL"}) {
		t.Fatalf("got %q", got)
	}
}

func TestImportShortRowsWithQuotedNewlines(t *testing.T) {
	// A short row after the sample forces null padding, which DuckDB only
	// allows without parallel reading when fields hold newlines.
	db, res := mustImport(t, "mixed.csv", bigQuotedFile(30000, "30000,\"last\nrow\"\n"))
	if res.Rows != 30001 {
		t.Fatalf("rows %d", res.Rows)
	}
	if got := queryStrings(t, db, `SELECT coalesce(amount::VARCHAR, 'NULL') FROM t WHERE id = 30000`); !reflect.DeepEqual(got, []string{"NULL"}) {
		t.Fatalf("got %q", got)
	}
}

func TestImportLongRowIsAnError(t *testing.T) {
	wantImportError(t, "long.csv", []byte("a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n"), 3, "expected 3 fields, found 4")
	// Far beyond the sample, in a file DuckDB reads in parallel.
	var b strings.Builder
	b.WriteString("a,b,c\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&b, "%d,x,y\n", i)
	}
	b.WriteString("1,2,3,4,5\n")
	wantImportError(t, "long.csv", []byte(b.String()), 100002, "expected 3 fields, found 5")
}

func TestImportUnterminatedQuote(t *testing.T) {
	wantImportError(t, "q.csv", []byte("a,b\n1,2\n3,\"never closed\n4,5\n"), 3, "unterminated quote")
}

func TestImportInvalidUTF8AfterTheSniffWindow(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := 0; b.Len() < 2*sniffSize; i++ {
		fmt.Fprintf(&b, "%d,plain ascii\n", i)
	}
	b.WriteString("999999,caf\xe9\n")
	line := int64(strings.Count(b.String(), "\n"))
	wantImportError(t, "late.csv", []byte(b.String()), line, "not valid UTF-8")
}

func TestImportEmptyAndHeaderOnly(t *testing.T) {
	wantImportError(t, "empty.csv", nil, 0, "file is empty")
	wantImportError(t, "blank.csv", []byte("\n\n  \n"), 0, "file is empty")
	wantImportError(t, "header.csv", []byte("id,name,email\n"), 0, "header row but no data rows")
	wantImportError(t, "header.csv", []byte("id,name,email\n\n\n"), 0, "header row but no data rows")
	var gz bytes.Buffer
	gzip.NewWriter(&gz).Close()
	wantImportError(t, "empty.csv.gz", gz.Bytes(), 0, "file is empty")
}

func TestImportRefusesNonTabularFiles(t *testing.T) {
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7919 + i/3)
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("leads.csv")
	w.Write([]byte("a,b\n1,2\n"))
	zw.Close()
	var gzPNG bytes.Buffer
	gw := gzip.NewWriter(&gzPNG)
	gw.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	gw.Close()
	cases := []struct {
		name string
		data []byte
		msg  string
	}{
		{"garbage.csv", garbage, "binary data"},
		{"photo.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), "this is a PNG image"},
		{"leads.zip", zipped.Bytes(), "zip archive, not an Excel workbook"},
		{"photo.csv.gz", gzPNG.Bytes(), "holds a PNG image"},
		{"nul.csv", []byte("a,b\n1,\x00\x00\n"), "binary data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantImportError(t, c.name, c.data, 0, c.msg) })
	}
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportGzip(t *testing.T) {
	db, res, err := importFile(t, writeFile(t, "buyers.csv.gz", gzipBytes(t, []byte("id;city\n1;M\xfcnchen\n2;\"Paris; France\"\n"))))
	if err != nil {
		t.Fatal(err)
	}
	if res.Encoding != encLatin1 || res.Separator != ";" || res.Rows != 2 {
		t.Fatalf("got %+v", res)
	}
	if got := queryStrings(t, db, `SELECT city FROM t ORDER BY id`); !reflect.DeepEqual(got, []string{"München", "Paris; France"}) {
		t.Fatalf("got %q", got)
	}
}

func TestImportGzipBombIsRefused(t *testing.T) {
	oldRatio, oldMin := bombRatio, bombMinBytes
	bombRatio, bombMinBytes = 50, 64<<10
	t.Cleanup(func() { bombRatio, bombMinBytes = oldRatio, oldMin })
	bomb := gzipBytes(t, append([]byte("a,b\n"), bytes.Repeat([]byte("1,2\n"), 1<<20)...))
	wantImportError(t, "bomb.csv.gz", bomb, 0, "possible zip bomb")

	// The same limits let a normally compressible file through.
	ok := gzipBytes(t, []byte("a,b\n1,2\n3,4\n"))
	if _, _, err := importFile(t, writeFile(t, "fine.csv.gz", ok)); err != nil {
		t.Fatal(err)
	}
}

func TestImportDamagedGzip(t *testing.T) {
	data := gzipBytes(t, bytes.Repeat([]byte("a,b\n1,2\n"), 1000))
	wantImportError(t, "cut.csv.gz", data[:len(data)/2], 0, "gzip")
}

func TestImportMaxBytes(t *testing.T) {
	db := newDB(t)
	path := writeFile(t, "big.csv", []byte("a,b\n1,2\n3,4\n"))
	_, err := Import(context.Background(), db, t.TempDir(), "t", Options{Path: path, MaxBytes: 8, DisplayName: "Big Export.csv"})
	var ie *Error
	if !errors.As(err, &ie) || ie.File != "Big Export.csv" || !strings.Contains(ie.Msg, "larger than the 8 bytes import limit") {
		t.Fatalf("got %v", err)
	}
	assertNoTables(t, db)
}

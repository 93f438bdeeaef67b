package ingest

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSniff feeds arbitrary file starts through every Go-side detector
// and the header reader: none may panic, and their results must keep the
// invariants the DuckDB stage relies on.
func FuzzSniff(f *testing.F) {
	for _, seed := range []string{
		"a,b,c\n1,2,3\n",
		"\xef\xbb\xbfid;name\r\n1;\"x;y\"\r\n",
		"\xff\xfea\x00,\x00b\x00\n\x00",
		"name\tcity\n\"multi\nline\"\tParis\n",
		"a|b\n\"unterminated|x\n",
		"\x1f\x8b\x08\x00",
		"PK\x03\x04",
		"price\n\x80 10\n",
		"\"\"\"\",,\n,,,\n",
		"First Name,first name,,%,#\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sniffContainer(data)
		enc, bom, ok := sniffEncoding(data)
		if ok && (bom < 0 || bom > len(data)) {
			t.Fatalf("bom %d outside data of %d bytes", bom, len(data))
		}
		if ok && enc == "" {
			t.Fatal("text without an encoding")
		}
		if ok && (enc == encUTF8 || enc == encUTF8BOM) {
			data = data[bom:]
		}
		sep := sniffSeparator(data)
		if bytes.IndexByte([]byte{',', ';', '\t', '|'}, sep) < 0 {
			t.Fatalf("separator %q", sep)
		}
		for _, n := range fieldCounts(data, sep, 50) {
			if n < 1 {
				t.Fatalf("record with %d fields", n)
			}
		}
		if nl := sniffNewline(data); nl != "\n" && nl != "\r\n" {
			t.Fatalf("newline %q", nl)
		}
		s, err := readHeadSample(bytes.NewReader(data), sep, 100)
		if err != nil || s == nil {
			return
		}
		checkNames(t, s.header, normalizeHeader(s.header))
		for _, r := range s.rows {
			if len(r) > len(s.header) {
				t.Fatalf("sample row wider than the header: %q", r)
			}
		}
		inferTypes(s)
	})
}

func checkNames(t *testing.T, header, names []string) {
	t.Helper()
	if len(names) != len(header) {
		t.Fatalf("%d names for %d headers", len(names), len(header))
	}
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || seen[n] || strings.HasPrefix(n, "_") || !utf8.ValidString(n) && utf8.ValidString(strings.Join(header, "")) {
			t.Fatalf("bad names %q from %q", names, header)
		}
		seen[n] = true
	}
}

// FuzzClassify checks the value classifiers on arbitrary strings: no
// panics, and the number shapes nest (an integer is a decimal, a decimal
// is currency- and percent-compatible unless it has an exponent).
func FuzzClassify(f *testing.F) {
	for _, seed := range []string{"1", "-1,234.5", "$5", "(5.00)", "12.5%", "1e9", "2026-01-31", "1/5/2026 3:04 PM", ".", "-", "€", "0012"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s := classifyNumber(v)
		if s.integer && !s.decimal {
			t.Fatalf("%q: integer but not decimal", v)
		}
		if s.decimal && !s.percent && !strings.ContainsAny(v, "eE") {
			t.Fatalf("%q: decimal but not percent-compatible", v)
		}
		c := newColumnStats()
		c.add(v)
		ty := c.result()
		if (ty.kind == typeDate || ty.kind == typeDatetime) && len(ty.formats) == 0 {
			t.Fatalf("%q: %s without formats", v, ty.kind)
		}
		isMissing(v)
		snakeCase(v)
	})
}

package ingest

import (
	"reflect"
	"strings"
	"testing"
)

func TestSniffEncoding(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		enc  string
		bom  int
	}{
		{"utf-8", []byte("name,city\nZoë,São Paulo\n"), encUTF8, 0},
		{"ascii is utf-8", []byte("a,b\n1,2\n"), encUTF8, 0},
		{"utf-8 bom", []byte("\xef\xbb\xbfa,b\n1,2\n"), encUTF8BOM, 3},
		{"utf-16le bom", []byte("\xff\xfea\x00,\x00b\x00\n\x00"), encUTF16LE, 2},
		{"utf-16be bom", []byte("\xfe\xff\x00a\x00,\x00b\x00\n"), encUTF16BE, 2},
		{"utf-16le no bom", []byte("a\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00"), encUTF16LE, 0},
		{"windows-1252 euro and smart quotes", []byte("price,note\n\x8010,\x93quoted\x94\n"), encCP1252, 0},
		{"latin-1 e acute", []byte("name\nJos\xe9\n"), encLatin1, 0},
		{"utf-8 rune cut by the sniff window", []byte("a\nZo\xc3"), encUTF8, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			enc, bom, ok := sniffEncoding(c.in)
			if !ok || enc != c.enc || bom != c.bom {
				t.Fatalf("got %q bom %d ok %v, want %q bom %d", enc, bom, ok, c.enc, c.bom)
			}
		})
	}
}

func TestSniffEncodingRefusesBinary(t *testing.T) {
	for name, in := range map[string][]byte{
		"NUL bytes":      []byte("a,b\n1,\x002\n"),
		"control bytes":  []byte(strings.Repeat("\x01\x02\x03\x04abc", 20)),
		"random garbage": {0x00, 0x9f, 0x13, 0x07, 0xee, 0x00, 0x01},
	} {
		if enc, _, ok := sniffEncoding(in); ok {
			t.Errorf("%s: detected as %q, want binary", name, enc)
		}
	}
}

func TestSniffContainer(t *testing.T) {
	cases := map[string]struct {
		in         string
		kind, what string
	}{
		"gzip": {"\x1f\x8b\x08\x00", kindGzip, ""},
		"zip":  {"PK\x03\x04rest", kindXLSX, ""},
		"png":  {"\x89PNG\r\n\x1a\nIHDR", "", "a PNG image"},
		"pdf":  {"%PDF-1.7", "", "a PDF document"},
		"csv":  {"a,b\n", kindText, ""},
	}
	for name, c := range cases {
		kind, what := sniffContainer([]byte(c.in))
		if kind != c.kind || what != c.what {
			t.Errorf("%s: got %q %q, want %q %q", name, kind, what, c.kind, c.what)
		}
	}
}

func TestSniffSeparator(t *testing.T) {
	cases := map[string]struct {
		in   string
		want byte
	}{
		"comma":                 {"a,b,c\n1,2,3\n4,5,6\n", ','},
		"semicolon":             {"a;b;c\n1,5;2;3\n4;5,5;6\n", ';'},
		"tab":                   {"a\tb\tc\n1\t2\t3\n", '\t'},
		"pipe":                  {"a|b|c\n1|2|3\n", '|'},
		"commas only in quotes": {"name;note\n\"Smith, J\";\"a,b,c\"\n\"Doe, J\";\"x,y\"\n", ';'},
		"quoted newline":        {"a,b\n\"line1\nline2;x;y\",2\n3,4\n", ','},
		"single column":         {"email\na@x.com\nb@y.com\n", ','},
		"cut last record":       {"a|b|c\n1|2|3\n4|5", '|'},
	}
	for name, c := range cases {
		if got := sniffSeparator([]byte(c.in)); got != c.want {
			t.Errorf("%s: got %q, want %q", name, got, c.want)
		}
	}
}

func TestFieldCountsIsQuoteAware(t *testing.T) {
	got := fieldCounts([]byte("a,b,c\n\"x,y\",\"multi\nline\",z\n\n\"he said \"\"hi, there\"\"\",2,3\n"), ',', 10)
	if want := []int{3, 3, 3}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestSniffNewline(t *testing.T) {
	if got := sniffNewline([]byte("a,b\r\n1,2\r\n")); got != "\r\n" {
		t.Errorf("CRLF: got %q", got)
	}
	if got := sniffNewline([]byte("a,b\n1,2\n")); got != "\n" {
		t.Errorf("LF: got %q", got)
	}
}

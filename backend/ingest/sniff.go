package ingest

import (
	"bytes"
	"unicode/utf8"
)

// sniffSize is how much of the file start the detectors look at.
const sniffSize = 64 << 10

// Container formats recognised from the first bytes.
const (
	kindText = "text"
	kindGzip = "gzip"
	kindXLSX = "xlsx"
)

// Encodings reported in Result.Encoding.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	encCP1252  = "windows-1252"
	encLatin1  = "iso-8859-1"
)

// magic numbers of common non-tabular files, so the user learns what they
// picked instead of a parse error on line 1.
var magics = []struct {
	prefix []byte
	what   string
}{
	{[]byte("\x89PNG\r\n\x1a\n"), "a PNG image"},
	{[]byte("\xff\xd8\xff"), "a JPEG image"},
	{[]byte("GIF87a"), "a GIF image"},
	{[]byte("GIF89a"), "a GIF image"},
	{[]byte("%PDF-"), "a PDF document"},
	{[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "an old Excel (.xls) or Office document; save it as .xlsx or CSV"},
	{[]byte("Rar!\x1a\x07"), "a RAR archive"},
	{[]byte("7z\xbc\xaf\x27\x1c"), "a 7-Zip archive"},
	{[]byte("\x7fELF"), "a program (ELF binary)"},
	{[]byte("MZ"), "a Windows program"},
	{[]byte("SQLite format 3\x00"), "a SQLite database"},
	{[]byte("PAR1"), "a Parquet file"},
}

// sniffContainer says whether head starts a gzip stream, a zip archive or
// plain text; for known binary formats it returns a description instead.
func sniffContainer(head []byte) (kind, binaryWhat string) {
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return kindGzip, ""
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return kindXLSX, "" // confirmed (or refused) by openXLSX
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, m.prefix) {
			return "", m.what
		}
	}
	return kindText, ""
}

// sniffEncoding detects the text encoding of head and the length of its
// byte order mark. ok is false when head does not look like text at all.
func sniffEncoding(head []byte) (enc string, bom int, ok bool) {
	switch {
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		return encUTF8BOM, 3, true
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return encUTF16LE, 2, true
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return encUTF16BE, 2, true
	}
	if enc := sniffUTF16NoBOM(head); enc != "" {
		return enc, 0, true
	}
	if looksBinary(head) {
		return "", 0, false
	}
	if validUTF8Prefix(head) {
		return encUTF8, 0, true
	}
	// Bytes 0x80-0x9F are control codes in Latin-1 but printable in
	// Windows-1252 (€, smart quotes, dashes); real text never holds C1
	// controls, so their presence means Windows-1252.
	for _, b := range head {
		if b >= 0x80 && b <= 0x9f {
			return encCP1252, 0, true
		}
	}
	return encLatin1, 0, true
}

// sniffUTF16NoBOM recognises BOM-less UTF-16 of mostly-ASCII text: every
// other byte is zero.
func sniffUTF16NoBOM(head []byte) string {
	if len(head) < 16 {
		return ""
	}
	var zeroEven, zeroOdd int
	n := len(head) &^ 1
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			zeroEven++
		}
		if head[i+1] == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	switch {
	case zeroOdd*10 > pairs*9 && zeroEven*10 < pairs:
		return encUTF16LE
	case zeroEven*10 > pairs*9 && zeroOdd*10 < pairs:
		return encUTF16BE
	}
	return ""
}

// looksBinary reports NUL bytes or a high share of control characters,
// which no CSV/TSV export contains.
func looksBinary(head []byte) bool {
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctrl := 0
	for _, b := range head {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' {
			ctrl++
		}
	}
	return ctrl*100 > len(head) // more than 1%
}

// validUTF8Prefix is utf8.Valid, tolerating a rune cut off by the sniff
// window.
func validUTF8Prefix(head []byte) bool {
	for i := 0; i < utf8.UTFMax && len(head) > 0; i++ {
		if utf8.Valid(head) {
			return true
		}
		r, _ := utf8.DecodeLastRune(head)
		if r != utf8.RuneError {
			return false
		}
		head = head[:len(head)-1]
	}
	return utf8.Valid(head)
}

// separators in the order they win ties.
var separators = []byte{',', ';', '\t', '|'}

// sniffSeparator picks the separator that splits the sample's records
// (quote-aware, so separators inside quotes do not count) into the most
// consistent number of fields, preferring more fields. The last record is
// ignored because the sample window may have cut it.
func sniffSeparator(text []byte) byte {
	best, bestScore := byte(','), 0.0
	for _, sep := range separators {
		counts := fieldCounts(text, sep, 200)
		if len(counts) > 1 {
			counts = counts[:len(counts)-1]
		}
		score := consistency(counts)
		if score > bestScore {
			best, bestScore = sep, score
		}
	}
	return best
}

// consistency scores a list of per-record field counts: the share of
// records having the header's field count, times that count; 0 when the
// separator never splits.
func consistency(counts []int) float64 {
	if len(counts) == 0 || counts[0] < 2 {
		return 0
	}
	same := 0
	for _, c := range counts {
		if c == counts[0] {
			same++
		}
	}
	share := float64(same) / float64(len(counts))
	return share*share*float64(counts[0]) + 0.001*share
}

// fieldCounts splits text into at most max records with RFC 4180 quoting
// and returns each record's number of fields. Blank lines are skipped.
func fieldCounts(text []byte, sep byte, max int) []int {
	var counts []int
	fields, inQuotes, atFieldStart, empty := 1, false, true, true
	for i := 0; i < len(text) && len(counts) < max; i++ {
		c := text[i]
		switch {
		case inQuotes:
			if c == '"' {
				if i+1 < len(text) && text[i+1] == '"' {
					i++
				} else {
					inQuotes = false
				}
			}
		case c == '"' && atFieldStart:
			inQuotes, atFieldStart, empty = true, false, false
		case c == sep:
			fields++
			atFieldStart, empty = true, false
		case c == '\n' || c == '\r':
			if !empty {
				counts = append(counts, fields)
			}
			fields, atFieldStart, empty = 1, true, true
		default:
			atFieldStart, empty = false, false
		}
	}
	if !empty && len(counts) < max {
		counts = append(counts, fields)
	}
	return counts
}

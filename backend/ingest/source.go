package ingest

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Gzip bomb limits: a decompressed stream is refused when it is both more
// than bombRatio times its compressed size and over bombMinBytes, or over
// bombMaxBytes outright. Variables so tests can lower them.
var (
	bombRatio    int64 = 50
	bombMinBytes int64 = 1 << 30
	bombMaxBytes int64 = 20 << 30
)

// source is the UTF-8 delimited text DuckDB will read, prepared from the
// user's file.
type source struct {
	path      string // UTF-8 text file (the original or a temporary copy)
	encoding  string
	separator byte
	newline   string // "\n" or "\r\n"
}

// prepare sniffs the user's file and, unless it already is UTF-8 text,
// converts it into a temporary UTF-8 file in tmpDir.
func (im *importer) prepare(ctx context.Context) (*source, error) {
	f, err := os.Open(im.opts.Path)
	if err != nil {
		return nil, im.fail(0, "cannot open file: %v", errors.Unwrap(err))
	}
	defer f.Close()
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, im.fail(0, "cannot read file: %v", err)
	}
	head = head[:n]
	if len(head) == 0 {
		return nil, im.fail(0, "file is empty")
	}
	kind, what := sniffContainer(head)
	switch kind {
	case "":
		return nil, im.fail(0, "this is %s, not a CSV, TSV or Excel table", what)
	case kindXLSX:
		return im.prepareXLSX(ctx, f)
	case kindGzip:
		return im.prepareGzip(ctx, f)
	}
	return im.prepareText(ctx, f, head)
}

// prepareText handles an uncompressed text file: UTF-8 is read by DuckDB
// in place, anything else is transcoded to a temporary UTF-8 file.
func (im *importer) prepareText(ctx context.Context, f *os.File, head []byte) (*source, error) {
	enc, bom, ok := sniffEncoding(head)
	if !ok {
		return nil, im.fail(0, "file contains binary data (NUL or control bytes), not a CSV or TSV table")
	}
	if enc == encUTF8 || enc == encUTF8BOM {
		return textSource(im.opts.Path, enc, head[bom:]), nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	counted := &countingReader{r: f, onRead: im.readProgress}
	return im.transcodeToTemp(ctx, transform.NewReader(counted, decoderFor(enc).NewDecoder()), enc)
}

// prepareGzip decompresses (with bomb limits) and transcodes a gzipped
// text file into a temporary UTF-8 file.
func (im *importer) prepareGzip(ctx context.Context, f *os.File) (*source, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	counted := &countingReader{r: f, onRead: im.readProgress}
	zr, err := gzip.NewReader(counted)
	if err != nil {
		return nil, im.fail(0, "damaged gzip file: %v", err)
	}
	limited := &bombGuard{r: zr, compressed: im.size, im: im}
	br := bufio.NewReaderSize(limited, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, im.gzipErr(err)
	}
	if len(head) == 0 {
		return nil, im.fail(0, "file is empty (the gzip archive holds no data)")
	}
	if kind, what := sniffContainer(head); kind != kindText {
		if what == "" {
			what = "a " + kind + " archive"
		}
		return nil, im.fail(0, "the gzip archive holds %s, not a CSV or TSV table", what)
	}
	enc, _, ok := sniffEncoding(head)
	if !ok {
		return nil, im.fail(0, "the gzip archive holds binary data (NUL or control bytes), not a CSV or TSV table")
	}
	var r io.Reader = br
	if enc != encUTF8 && enc != encUTF8BOM {
		r = transform.NewReader(br, decoderFor(enc).NewDecoder())
	}
	src, err := im.transcodeToTemp(ctx, r, enc)
	if err != nil {
		return nil, im.gzipErr(err)
	}
	return src, nil
}

func (im *importer) gzipErr(err error) error {
	var ie *Error
	if errors.As(err, &ie) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) {
		return im.fail(0, "damaged or truncated gzip file: %v", err)
	}
	return err
}

// decoderFor maps a detected non-UTF-8 encoding to its decoder. Latin-1 is
// decoded as Windows-1252, its superset for every printable character.
func decoderFor(enc string) encoding.Encoding {
	switch enc {
	case encUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case encUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	}
	return charmap.Windows1252
}

// transcodeToTemp copies UTF-8 text from r into a temporary file and sniffs
// separator and line ending from its start.
func (im *importer) transcodeToTemp(ctx context.Context, r io.Reader, enc string) (*source, error) {
	out, err := os.CreateTemp(im.tmpDir, "ingest-*.csv")
	if err != nil {
		return nil, fmt.Errorf("create temporary file: %w", err)
	}
	im.temps = append(im.temps, out.Name())
	w := bufio.NewWriterSize(out, 1<<20)
	if _, err := io.CopyBuffer(w, &ctxReader{ctx: ctx, r: r}, make([]byte, 1<<20)); err != nil {
		out.Close()
		return nil, err
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return nil, fmt.Errorf("write temporary file: %w", err)
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("write temporary file: %w", err)
	}
	head, err := readHead(out.Name())
	if err != nil {
		return nil, err
	}
	if len(strings.TrimSpace(string(head))) == 0 {
		return nil, im.fail(0, "file is empty")
	}
	head, _ = stripUTF8BOM(head)
	return textSource(out.Name(), enc, head), nil
}

func textSource(path, enc string, head []byte) *source {
	return &source{path: path, encoding: enc, separator: sniffSeparator(head), newline: sniffNewline(head)}
}

// sniffNewline returns the line ending of the first line.
func sniffNewline(head []byte) string {
	if i := strings.IndexByte(string(head), '\n'); i > 0 && head[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

func stripUTF8BOM(b []byte) ([]byte, bool) {
	if len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf {
		return b[3:], true
	}
	return b, false
}

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return head[:n], nil
}

// isXLSX reports whether a zip archive holds an Excel workbook (xl/...).
func isXLSX(f *os.File, size int64) (bool, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return false, err
	}
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/") {
			return true, nil
		}
	}
	return false, nil
}

// countingReader reports how many bytes have been read so far.
type countingReader struct {
	r      io.Reader
	n      int64
	onRead func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.onRead != nil {
		c.onRead(c.n)
	}
	return n, err
}

// ctxReader stops a long copy when the import is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// bombGuard refuses decompressed streams that grow beyond the bomb limits.
type bombGuard struct {
	r          io.Reader
	n          int64
	compressed int64
	im         *importer
}

func (b *bombGuard) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if (b.n > bombRatio*b.compressed && b.n > bombMinBytes) || b.n > bombMaxBytes {
		return n, b.im.fail(0, "the gzip archive expands to more than %s (%dx its compressed size); refusing to unpack a possible zip bomb",
			humanBytes(b.n), b.n/max(b.compressed, 1))
	}
	return n, err
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

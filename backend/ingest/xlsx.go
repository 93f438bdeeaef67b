package ingest

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"
)

// prepareXLSX streams the first worksheet of a workbook into a temporary
// UTF-8 CSV. Rows shorter than the header are padded by DuckDB; rows with
// cells beyond the header's last column are refused like in CSV files.
func (im *importer) prepareXLSX(ctx context.Context, f *os.File) (*source, error) {
	ok, err := isXLSX(f, im.size)
	if err != nil {
		return nil, im.fail(0, "damaged zip archive: %v", err)
	}
	if !ok {
		return nil, im.fail(0, "this is a zip archive, not an Excel workbook; unzip it and import the CSV inside")
	}
	book, err := excelize.OpenFile(im.opts.Path, excelize.Options{TmpDir: im.tmpDir, UnzipSizeLimit: bombMaxBytes})
	if err != nil {
		return nil, im.fail(0, "cannot open Excel workbook: %v", err)
	}
	defer book.Close()
	sheets := book.GetSheetList()
	if len(sheets) == 0 {
		return nil, im.fail(0, "the workbook has no worksheets")
	}
	rows, err := book.Rows(sheets[0])
	if err != nil {
		return nil, im.fail(0, "cannot read worksheet %q: %v", sheets[0], err)
	}
	defer rows.Close()

	out, err := os.CreateTemp(im.tmpDir, "ingest-*.csv")
	if err != nil {
		return nil, fmt.Errorf("create temporary file: %w", err)
	}
	im.temps = append(im.temps, out.Name())
	defer out.Close()
	if err := im.copySheet(ctx, rows, out); err != nil {
		return nil, err
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("write temporary file: %w", err)
	}
	return &source{path: out.Name(), encoding: encUTF8, separator: ',', newline: "\n"}, nil
}

// copySheet writes the non-empty rows of a worksheet as CSV records.
func (im *importer) copySheet(ctx context.Context, rows *excelize.Rows, out *os.File) error {
	bw := bufio.NewWriterSize(out, 1<<20)
	w := csv.NewWriter(bw)
	width, written := 0, int64(0)
	for rowNum := int64(1); rows.Next(); rowNum++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		cells, err := rows.Columns()
		if err != nil {
			return im.fail(rowNum, "cannot read row: %v", err)
		}
		cells = trimTrailingEmpty(cells)
		if len(cells) == 0 {
			continue
		}
		if width == 0 {
			width = len(cells)
		} else if len(cells) > width {
			return im.fail(rowNum, "expected %d fields, found %d (cells beyond the header's last column)", width, len(cells))
		}
		if err := w.Write(cells); err != nil {
			return fmt.Errorf("write temporary file: %w", err)
		}
		written++
		if written%4096 == 0 {
			im.rowProgress(written)
		}
	}
	if err := rows.Error(); err != nil {
		return im.fail(0, "cannot read worksheet: %v", err)
	}
	if written == 0 {
		return im.fail(0, "file is empty (the first worksheet has no cells)")
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write temporary file: %w", err)
	}
	return bw.Flush()
}

func trimTrailingEmpty(cells []string) []string {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}

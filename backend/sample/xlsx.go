package sample

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// SheetName is the sheet the .xlsx samples are written to.
const SheetName = "Data"

// writeXLSX streams the header and rows of g into one sheet.
func writeXLSX(w io.Writer, g *Generator) error {
	book := excelize.NewFile()
	defer book.Close()
	if err := book.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	sw, err := book.NewStreamWriter(SheetName)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", cells(g.Header())); err != nil {
		return err
	}
	for n := 2; ; n++ {
		row, ok := g.Next()
		if !ok {
			break
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells(row)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = book.WriteTo(w)
	return err
}

func cells(row []string) []any {
	out := make([]any, len(row))
	for i, v := range row {
		out[i] = v
	}
	return out
}

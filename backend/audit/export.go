package audit

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

var exportHeader = []string{"id", "timestamp_utc", "user_id", "user_email", "workspace_id", "action", "details"}

// Neutralize defuses spreadsheet formula injection: a cell that starts
// with = + - @ (or a tab/CR that some spreadsheets skip) gets a leading
// apostrophe so it is shown as text, never evaluated.
func Neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func exportRecord(r Row) []string {
	rec := []string{fmt.Sprint(r.ID), r.TS, fmt.Sprint(r.UserID), r.UserEmail, fmt.Sprint(r.WorkspaceID), r.Action, string(r.Details)}
	for i := range rec {
		rec[i] = Neutralize(rec[i])
	}
	return rec
}

// WriteCSV writes rows to path as CSV with a header line.
func WriteCSV(path string, rows []Row) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	w := csv.NewWriter(f)
	w.Write(exportHeader)
	for _, r := range rows {
		w.Write(exportRecord(r))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// WriteXLSX writes rows to path as an Excel workbook with one "Audit" sheet.
func WriteXLSX(path string, rows []Row) error {
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "Audit"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", toCells(exportHeader)); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, toCells(exportRecord(r))); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := x.SaveAs(path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func toCells(rec []string) []any {
	out := make([]any, len(rec))
	for i, s := range rec {
		out[i] = s
	}
	return out
}

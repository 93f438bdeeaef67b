package api

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/export"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/metrics"
	"leadnavigator/backend/workspace"
)

// ExportResult says where an export went. In serve mode Name is the file
// to download from /exports/<name>; on the desktop Path is the chosen file.
type ExportResult struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Rows int64  `json:"rows"`
}

// ExportRows writes the dataset's rows matching the filters to path (.csv
// or .xlsx, Analyst). An absolute path is the file picked in the desktop
// save dialog; "" or a bare file name ("buyers.xlsx") writes into the
// app's export folder (serve mode), under a unique name.
func (a *API) ExportRows(token string, workspaceID, datasetID int64, f filters.Set, path string) (ExportResult, error) {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return ExportResult{}, err
	}
	d, db, err := a.datasetAndEngine(workspaceID, datasetID)
	if err != nil {
		return ExportResult{}, err
	}
	res, err := a.exportTarget(path, strings.TrimSuffix(d.Name, filepath.Ext(d.Name))+"-filtered")
	if err != nil {
		return res, err
	}
	where, args, err := f.Where(d)
	if err != nil {
		return res, err
	}
	if strings.EqualFold(filepath.Ext(res.Path), ".xlsx") {
		if err := fitsXLSX(db, d, where, args); err != nil {
			return ExportResult{}, err
		}
	}
	header, selects := exportColumns(d)
	rows, err := db.Query("SELECT "+strings.Join(selects, ", ")+" FROM "+engine.QuoteIdent(d.Table)+" WHERE "+where, args...)
	if err != nil {
		return res, fmt.Errorf("read rows of %s: %w", d.Name, err)
	}
	count := export.SQLRows(rows)
	err = export.Write(res.Path, header, func(yield func([]any) error) error {
		return count(func(r []any) error { res.Rows++; return yield(r) })
	})
	if err != nil {
		return ExportResult{}, err
	}
	a.record(caller, workspaceID, "export", map[string]any{"what": "rows", "datasetId": d.ID, "filters": f.Canonical(),
		"rows": res.Rows, "file": res.Name})
	return res, nil
}

// ExportSummary writes a dashboard's filters, KPIs and chart series to
// path (.csv or .xlsx, Analyst); dashboard is "buyers" or "visitors".
func (a *API) ExportSummary(token string, workspaceID, datasetID int64, dashboard string, q DashboardQuery, path string) (ExportResult, error) {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return ExportResult{}, err
	}
	var dash metrics.Dashboard
	switch dashboard {
	case "buyers":
		dash, err = a.BuyersDashboard(token, workspaceID, datasetID, q)
	case "visitors":
		dash, err = a.VisitorsDashboard(token, workspaceID, datasetID, q)
	default:
		err = fmt.Errorf("unknown dashboard %q (use buyers or visitors)", dashboard)
	}
	if err != nil {
		return ExportResult{}, err
	}
	title := strings.ToUpper(dashboard[:1]) + dashboard[1:] + " dashboard"
	res, err := a.exportTarget(path, dashboard+"-summary")
	if err != nil {
		return res, err
	}
	rows := metrics.SummaryRows(title, dash, q.Filters)
	if err := export.Write(res.Path, metrics.SummaryHeader, export.Slice(rows)); err != nil {
		return ExportResult{}, err
	}
	res.Rows = int64(len(rows))
	a.record(caller, workspaceID, "export", map[string]any{"what": "summary", "dashboard": dashboard, "datasetId": dash.Dataset.ID,
		"filters": q.Filters.Canonical(), "rows": res.Rows, "file": res.Name})
	return res, nil
}

// exportTarget resolves path as ExportRows documents it.
func (a *API) exportTarget(path, stem string) (ExportResult, error) {
	if filepath.IsAbs(path) && a.cfg.BrowserClient {
		return ExportResult{}, errors.New("in the browser, exports are downloaded: a file path cannot be chosen")
	}
	if filepath.IsAbs(path) {
		ext := strings.ToLower(filepath.Ext(path))
		if ext != ".csv" && ext != ".xlsx" {
			return ExportResult{}, fmt.Errorf("export file %q must end in .csv or .xlsx", filepath.Base(path))
		}
		return ExportResult{Name: filepath.Base(path), Path: path}, nil
	}
	if path != "" && filepath.Base(path) != path {
		return ExportResult{}, fmt.Errorf("export path %q must be absolute (or a bare file name)", path)
	}
	ext := strings.ToLower(filepath.Ext(path))
	if path == "" {
		ext = ".csv"
	}
	if ext != ".csv" && ext != ".xlsx" {
		return ExportResult{}, fmt.Errorf("export file %q must end in .csv or .xlsx", path)
	}
	if path != "" {
		stem = strings.TrimSuffix(path, filepath.Ext(path))
	}
	dir := filepath.Join(a.cfg.DataDir, "exports")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ExportResult{}, err
	}
	name := exportFileName(stem, ext)
	return ExportResult{Name: name, Path: filepath.Join(dir, name)}, nil
}

// exportColumns is the header (the file's original column names) and the
// quoted select list of a dataset's columns.
func exportColumns(d datasets.Dataset) ([]string, []string) {
	header := make([]string, 0, len(d.Columns))
	selects := make([]string, 0, len(d.Columns))
	for _, c := range d.Columns {
		name := c.Original
		if name == "" {
			name = c.Name
		}
		header = append(header, name)
		selects = append(selects, engine.QuoteIdent(c.Name))
	}
	return header, selects
}

// fitsXLSX refuses an XLSX export of more rows than a sheet holds before
// any work is done, instead of failing after a million rows.
func fitsXLSX(db *sql.DB, d datasets.Dataset, where string, args []any) error {
	var n int64
	if err := db.QueryRow("SELECT COUNT(*) FROM "+engine.QuoteIdent(d.Table)+" WHERE "+where, args...).Scan(&n); err != nil {
		return err
	}
	if n > export.MaxXLSXRows {
		return fmt.Errorf("%d rows match: %w", n, export.ErrTooManyRows)
	}
	return nil
}

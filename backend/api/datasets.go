package api

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/ingest"
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/metrics"
	"leadnavigator/backend/rowindex"
	"leadnavigator/backend/sample"
	"leadnavigator/backend/store"
	"leadnavigator/backend/workspace"
)

// Preview is the first rows of a dataset, every value as text (as DuckDB
// formats it) or null.
type Preview struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	Total   int64    `json:"total"` // rows in the whole dataset
}

// ImportSummary is what the Data page shows after an import.
type ImportSummary struct {
	Dataset       datasets.Dataset `json:"dataset"`
	Preview       Preview          `json:"preview"`
	MappingSource string           `json:"mappingSource"` // "saved" or "suggested"
}

// MappingInfo feeds the mapping editor.
type MappingInfo struct {
	Fields      []mapping.FieldInfo        `json:"fields"`
	Mapping     mapping.Mapping            `json:"mapping"`
	Suggestions mapping.Mapping            `json:"suggestions"`
	Compatible  map[mapping.Field][]string `json:"compatible"` // field -> columns of a fitting type
	Columns     []datasets.Column          `json:"columns"`
	Saved       bool                       `json:"saved"` // a mapping is saved for this file type
}

// Event payloads sent while an import runs.
type importProgressEvent struct {
	JobID string `json:"jobId"`
	ingest.Progress
}

type importEndEvent struct {
	JobID     string `json:"jobId"`
	DatasetID int64  `json:"datasetId,omitempty"`
	Error     string `json:"error,omitempty"`
}

const (
	previewRows    = 100
	maxPreviewRows = 1000
	sourceSaved    = "saved"
	sourceSuggest  = "suggested"
)

// importJobs remembers the running imports so their own user can cancel them.
type importJobs struct {
	mu   sync.Mutex
	jobs map[string]importJob
}

type importJob struct {
	userID int64
	cancel context.CancelFunc
}

// start registers a job; the returned stop func must be called when it ends.
func (j *importJobs) start(jobID string, userID int64) (context.Context, func(), error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.jobs == nil {
		j.jobs = map[string]importJob{}
	}
	if _, busy := j.jobs[jobID]; busy {
		return nil, nil, fmt.Errorf("an import with job id %q is already running", jobID)
	}
	ctx, cancel := context.WithCancel(context.Background())
	j.jobs[jobID] = importJob{userID: userID, cancel: cancel}
	return ctx, func() {
		cancel()
		j.mu.Lock()
		delete(j.jobs, jobID)
		j.mu.Unlock()
	}, nil
}

func (j *importJobs) cancel(jobID string, userID int64) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	job, ok := j.jobs[jobID]
	if !ok || job.userID != userID {
		return false
	}
	job.cancel()
	return true
}

func newJobID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "job-" + hex.EncodeToString(b)
}

// ImportFile imports a file (a path picked in the desktop dialog, dropped
// on the window or uploaded in a browser) as a new dataset of the
// workspace. Progress goes out as "import:progress" events tagged with
// jobID, then "import:done" or "import:failed".
func (a *API) ImportFile(token string, workspaceID int64, path, jobID string) (ImportSummary, error) {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return ImportSummary{}, err
	}
	if _, uploaded := a.uploadDir(path); a.cfg.BrowserClient && !uploaded {
		return ImportSummary{}, errors.New("in the browser, files are imported by uploading them")
	}
	return a.runImport(caller, workspaceID, path, jobID)
}

// runImport runs one import job for an already authorized caller.
func (a *API) runImport(caller auth.Identity, workspaceID int64, path, jobID string) (ImportSummary, error) {
	if strings.TrimSpace(path) == "" {
		return ImportSummary{}, errors.New("no file given to import")
	}

	if jobID == "" {
		jobID = newJobID()
	}
	ctx, stop, err := a.imports.start(jobID, caller.ID)
	if err != nil {
		return ImportSummary{}, err
	}
	defer stop()
	defer a.removeUpload(path)
	sum, err := a.importFile(ctx, caller, workspaceID, path, jobID)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			err = fmt.Errorf("import of %s was cancelled", filepath.Base(path))
		}
		a.events.Emit("import:failed", importEndEvent{JobID: jobID, Error: err.Error()})
		return ImportSummary{}, err
	}
	a.events.Emit("import:done", importEndEvent{JobID: jobID, DatasetID: sum.Dataset.ID})
	return sum, nil
}

func (a *API) importFile(ctx context.Context, caller auth.Identity, workspaceID int64, path, jobID string) (ImportSummary, error) {
	db, err := a.engine.Workspace(workspaceID)
	if err != nil {
		return ImportSummary{}, err
	}
	name := filepath.Base(path)
	res, err := ingest.Import(ctx, db, filepath.Join(a.engine.WorkspaceDir(workspaceID), "tmp"), datasets.NewTableName(), ingest.Options{
		Path: path, DisplayName: name,
		Progress: func(p ingest.Progress) { a.events.Emit("import:progress", importProgressEvent{jobID, p}) },
	})
	if err != nil {
		return ImportSummary{}, err
	}
	d := datasetOf(res, workspaceID, caller.ID, name)
	preview, err := readPreview(db, d, previewRows)
	if err != nil {
		dropTable(db, d.Table)
		return ImportSummary{}, err
	}
	source := a.chooseMapping(&d, preview)
	a.events.Emit("import:progress", importProgressEvent{jobID, ingest.Progress{Phase: "indexing", Rows: d.Rows, Percent: 100, ETASeconds: -1}})
	if err := metrics.Prepare(ctx, db, d); err != nil {
		dropTable(db, d.Table)
		return ImportSummary{}, fmt.Errorf("prepare %s for the dashboards: %w", name, err)
	}
	if err := a.datasets.Insert(&d); err != nil {
		dropTable(db, d.Table)
		return ImportSummary{}, fmt.Errorf("record dataset %s: %w", name, err)
	}
	a.record(caller, workspaceID, "upload", map[string]any{
		"file": name, "rows": d.Rows, "columns": len(d.Columns), "duplicatesRemoved": d.DuplicatesRemoved,
		"datasetId": d.ID, "kind": d.Kind, "mappingSource": source,
	})
	return ImportSummary{Dataset: d, Preview: preview, MappingSource: source}, nil
}

func datasetOf(res ingest.Result, workspaceID, userID int64, name string) datasets.Dataset {
	return datasets.Dataset{
		WorkspaceID: workspaceID, Name: name, Table: res.Table, Rows: res.Rows, Columns: res.Columns,
		HeaderSignature: res.HeaderSignature, Encoding: res.Encoding, Separator: res.Separator,
		DuplicatesRemoved: res.DuplicatesRemoved, ImportedBy: userID, Seconds: res.Seconds,
	}
}

// removeUpload deletes a browser upload (serve mode keeps them under
// <data-dir>/uploads/up-*/) once it has been imported or refused: the rows
// now live in the engine, and uploads can be gigabytes. Files picked on the
// desktop are the user's own and are never touched.
func (a *API) removeUpload(path string) {
	dir, ok := a.uploadDir(path)
	if !ok {
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		log.Printf("remove imported upload: %v", err)
	}
}

// uploadDir returns the folder of a serve-mode upload
// (<data-dir>/uploads/up-*/file) and whether path is one.
func (a *API) uploadDir(path string) (string, bool) {
	uploads, err := filepath.Abs(filepath.Join(a.cfg.DataDir, "uploads"))
	if err != nil {
		return "", false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	dir := filepath.Dir(abs)
	return dir, filepath.Dir(dir) == uploads && strings.HasPrefix(filepath.Base(dir), "up-")
}

// chooseMapping applies the mapping saved for the file's header signature
// when it still fits the columns, else a suggestion; it sets d.Mapping and
// d.Kind and says which it used.
func (a *API) chooseMapping(d *datasets.Dataset, preview Preview) string {
	cols := mappingColumns(d.Columns, preview)
	saved, err := a.mappings.Get(d.WorkspaceID, d.HeaderSignature)
	if err == nil && mapping.Validate(saved.Mapping, cols) == nil && datasets.ValidKind(saved.Kind) {
		d.Mapping, d.Kind = saved.Mapping, saved.Kind
		return sourceSaved
	}
	if err != nil && !errors.Is(err, mapping.ErrNoSaved) {
		log.Printf("saved mapping for workspace %d: %v", d.WorkspaceID, err)
	}
	d.Mapping = mapping.Suggest(cols)
	d.Kind = mapping.GuessKind(d.Mapping, columnNames(d.Columns))
	return sourceSuggest
}

// mappingColumns describes columns for package mapping, with sample
// values from the preview rows and the profile's top values.
func mappingColumns(cols []datasets.Column, preview Preview) []mapping.Column {
	index := map[string]int{}
	for i, c := range preview.Columns {
		index[c] = i
	}
	out := datasets.MappingColumns(cols)
	for i := range out {
		j, ok := index[out[i].Name]
		if !ok {
			continue
		}
		var samples []string
		for _, row := range preview.Rows {
			if s, ok := row[j].(string); ok && s != "" {
				samples = append(samples, s)
			}
		}
		out[i].Samples = append(samples, out[i].Samples...)
	}
	return out
}

func columnNames(cols []datasets.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// readPreview reads the first limit rows of a dataset's table as text.
func readPreview(db *sql.DB, d datasets.Dataset, limit int) (Preview, error) {
	p := Preview{Columns: columnNames(d.Columns), Rows: [][]any{}, Total: d.Rows}
	if len(d.Columns) == 0 {
		return p, nil
	}
	exprs := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		exprs[i] = "CAST(" + engine.QuoteIdent(c.Name) + " AS VARCHAR)"
	}
	rows, err := db.Query(fmt.Sprintf("SELECT %s FROM %s LIMIT %d", strings.Join(exprs, ", "), engine.QuoteIdent(d.Table), limit))
	if err != nil {
		return p, fmt.Errorf("read preview of %s: %w", d.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		vals := make([]sql.NullString, len(exprs))
		ptrs := make([]any, len(exprs))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return p, err
		}
		row := make([]any, len(vals))
		for i, v := range vals {
			if v.Valid {
				row[i] = v.String
			}
		}
		p.Rows = append(p.Rows, row)
	}
	return p, rows.Err()
}

func dropTable(db *sql.DB, table string) {
	if err := rowindex.DropTables(context.Background(), db, table); err != nil {
		log.Printf("drop the index tables of %s: %v", table, err)
	}
	if _, err := db.Exec("DROP TABLE IF EXISTS " + engine.QuoteIdent(table)); err != nil {
		log.Printf("drop table %s: %v", table, err)
	}
}

// CancelImport stops a running import started by the caller. Another
// user's job is reported like an unknown one.
func (a *API) CancelImport(token, jobID string) error {
	caller, err := a.caller(token)
	if err != nil {
		return err
	}
	if !a.imports.cancel(jobID, caller.ID) {
		return fmt.Errorf("no import with job id %q is running", jobID)
	}
	return nil
}

// ListDatasets lists the workspace's datasets, newest first.
func (a *API) ListDatasets(token string, workspaceID int64) ([]datasets.Dataset, error) {
	if _, _, err := a.member(token, workspaceID, workspace.View); err != nil {
		return nil, err
	}
	return a.datasets.List(workspaceID)
}

// GetDataset returns one dataset with its column profile and mapping.
func (a *API) GetDataset(token string, workspaceID, datasetID int64) (datasets.Dataset, error) {
	if _, _, err := a.member(token, workspaceID, workspace.View); err != nil {
		return datasets.Dataset{}, err
	}
	return a.datasets.Get(workspaceID, datasetID)
}

// PreviewDataset returns the first limit rows (default 100, at most 1000).
func (a *API) PreviewDataset(token string, workspaceID, datasetID int64, limit int) (Preview, error) {
	if _, _, err := a.member(token, workspaceID, workspace.View); err != nil {
		return Preview{}, err
	}
	if limit <= 0 {
		limit = previewRows
	}
	if limit > maxPreviewRows {
		return Preview{}, fmt.Errorf("a preview shows at most %d rows, not %d", maxPreviewRows, limit)
	}
	d, db, err := a.datasetAndEngine(workspaceID, datasetID)
	if err != nil {
		return Preview{}, err
	}
	return readPreview(db, d, limit)
}

func (a *API) datasetAndEngine(workspaceID, datasetID int64) (datasets.Dataset, *sql.DB, error) {
	d, err := a.datasets.Get(workspaceID, datasetID)
	if err != nil {
		return d, nil, err
	}
	db, err := a.engine.Workspace(workspaceID)
	return d, db, err
}

// DeleteDataset removes a dataset and its rows.
func (a *API) DeleteDataset(token string, workspaceID, datasetID int64) error {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return err
	}
	d, db, err := a.datasetAndEngine(workspaceID, datasetID)
	if err != nil {
		return err
	}
	if err := a.datasets.Delete(workspaceID, datasetID); err != nil {
		return err
	}
	dropTable(db, d.Table)
	a.record(caller, workspaceID, "dataset.deleted", map[string]any{"datasetId": d.ID, "file": d.Name, "rows": d.Rows})
	return nil
}

// SetDatasetKind marks a dataset as buyers, visitors or leads; the choice
// is remembered for the next file with the same headers.
func (a *API) SetDatasetKind(token string, workspaceID, datasetID int64, kind string) error {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return err
	}
	d, err := a.datasets.Get(workspaceID, datasetID)
	if err != nil {
		return err
	}
	if err := a.datasets.SetKind(workspaceID, datasetID, kind); err != nil {
		return err
	}
	a.prepareDashboards(workspaceID, d, d.Mapping, kind)
	if err := a.mappings.Save(workspaceID, d.HeaderSignature, kind, d.Mapping); err != nil {
		log.Printf("remember kind for workspace %d: %v", workspaceID, err)
	}
	a.record(caller, workspaceID, "dataset.kind", map[string]any{"datasetId": d.ID, "file": d.Name, "from": d.Kind, "to": kind})
	return nil
}

// GetMapping returns what the mapping editor needs: the canonical fields,
// the dataset's mapping, fresh suggestions and the columns each field accepts.
func (a *API) GetMapping(token string, workspaceID, datasetID int64) (MappingInfo, error) {
	if _, _, err := a.member(token, workspaceID, workspace.View); err != nil {
		return MappingInfo{}, err
	}
	d, db, err := a.datasetAndEngine(workspaceID, datasetID)
	if err != nil {
		return MappingInfo{}, err
	}
	preview, err := readPreview(db, d, previewRows)
	if err != nil {
		return MappingInfo{}, err
	}
	cols := mappingColumns(d.Columns, preview)
	_, savedErr := a.mappings.Get(workspaceID, d.HeaderSignature)
	return MappingInfo{
		Fields: mapping.Fields, Mapping: d.Mapping, Suggestions: mapping.Suggest(cols),
		Compatible: mapping.Compatible(cols), Columns: d.Columns, Saved: savedErr == nil,
	}, nil
}

// SaveMapping validates and stores a dataset's mapping, and remembers it
// for its header signature so the next file of that type is mapped alike.
func (a *API) SaveMapping(token string, workspaceID, datasetID int64, m mapping.Mapping) (datasets.Dataset, error) {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return datasets.Dataset{}, err
	}
	d, err := a.datasets.Get(workspaceID, datasetID)
	if err != nil {
		return d, err
	}
	m = mapping.Clean(m)
	if err := mapping.Validate(m, mappingColumns(d.Columns, Preview{})); err != nil {
		return d, err
	}
	if err := a.datasets.SetMapping(workspaceID, datasetID, m); err != nil {
		return d, err
	}
	a.prepareDashboards(workspaceID, d, m, d.Kind)
	if err := a.mappings.Save(workspaceID, d.HeaderSignature, d.Kind, m); err != nil {
		return d, fmt.Errorf("remember mapping for this file type: %w", err)
	}
	a.record(caller, workspaceID, "mapping.changed", map[string]any{"datasetId": d.ID, "file": d.Name, "from": d.Mapping, "to": m})
	d.Mapping = m
	return d, nil
}

// prepareDashboards builds what the dashboards of d need under a new
// mapping or kind (see metrics.Prepare), so the first dashboard after the
// change does not wait for it. A failure is only logged: the dashboard
// prepares again, and reports the error, when it is opened.
func (a *API) prepareDashboards(workspaceID int64, d datasets.Dataset, m mapping.Mapping, kind string) {
	db, err := a.engine.Workspace(workspaceID)
	if err == nil {
		d.Mapping, d.Kind = m, kind
		err = metrics.Prepare(context.Background(), db, d)
	}
	if err != nil {
		log.Printf("prepare dataset %d for the dashboards: %v", d.ID, err)
	}
}

// defaultSampleRows is how many rows the generated buyers sample has; the
// visitors sample has visitorsPerBuyerRow times as many, so the conversion
// rate (buyers / visitors) looks like a real shop's. sampleSeed makes every
// first-run workspace see the same demo data.
const (
	defaultSampleRows   = 50_000
	visitorsPerBuyerRow = 10
	sampleSeed          = 2026
)

// LoadSampleData generates a buyers and a visitors sample file and imports
// both, so a first-run user has data to explore.
func (a *API) LoadSampleData(token string, workspaceID int64) ([]ImportSummary, error) {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(a.engine.WorkspaceDir(workspaceID), "tmp")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var out []ImportSummary
	for _, kind := range []string{sample.Buyers, sample.Visitors} {
		sum, err := a.importSample(caller, workspaceID, dir, kind)
		if err != nil {
			return out, err
		}
		out = append(out, sum)
	}
	return out, nil
}

// importSample generates and imports one sample file. Its progress goes
// out as "import:progress" events of job "sample-<kind>-…" (the Data page
// follows those while it loads the samples): "generating", then the
// import's own phases.
func (a *API) importSample(caller auth.Identity, workspaceID int64, dir, kind string) (ImportSummary, error) {
	rows := sampleRowsOf(kind, a.sampleRows)
	path := filepath.Join(dir, "sample-"+kind+".csv")
	jobID := "sample-" + kind + "-" + strings.TrimPrefix(newJobID(), "job-")
	a.events.Emit("import:progress", importProgressEvent{jobID, ingest.Progress{Phase: "generating", Rows: int64(rows), ETASeconds: -1}})
	if err := sample.Write(path, sample.Options{Kind: kind, Rows: rows, Seed: sampleSeed,
		End: store.Now().AddDate(0, 0, -1)}); err != nil {
		return ImportSummary{}, fmt.Errorf("generate %s sample: %w", kind, err)
	}
	defer os.Remove(path)
	return a.runImport(caller, workspaceID, path, jobID)
}

// sampleRowsOf is the size of the generated sample of kind (buyerRows, or
// defaultSampleRows when 0, buyers).
func sampleRowsOf(kind string, buyerRows int) int {
	if buyerRows == 0 {
		buyerRows = defaultSampleRows
	}
	if kind == sample.Visitors {
		return buyerRows * visitorsPerBuyerRow
	}
	return buyerRows
}

// LocalUserEmail is the passwordless account headless imports act as.
const LocalUserEmail = "local@lead-navigator.local"

// ImportAsLocalUser imports path into the workspace named workspaceName
// (created, owned by the local account, when no workspace has that name)
// exactly as ImportFile does, for `lead-navigator import`. It is a
// function, not a method, so it is not bound to the UI: it trusts whoever
// can run the binary on the data directory.
func ImportAsLocalUser(a *API, workspaceName, path string) (ImportSummary, error) {
	u, err := a.auth.EnsurePasswordlessUser(LocalUserEmail, "Local import")
	if err != nil {
		return ImportSummary{}, fmt.Errorf("local account: %w", err)
	}
	wsID, err := a.workspaces.FindByName(workspaceName)
	if errors.Is(err, workspace.ErrNoSuchWorkspace) {
		var w workspace.Workspace
		w, err = a.workspaces.Create(u.ID, workspaceName)
		wsID = w.ID
	}
	if err != nil {
		return ImportSummary{}, err
	}
	return a.runImport(auth.Identity{User: u}, wsID, path, "")
}

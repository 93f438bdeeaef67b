package api

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/mapping"
)

// importEvents keeps the events the API emits; onEvent (if set) runs for each.
type importEvents struct {
	mu      sync.Mutex
	events  []recordedEvent
	onEvent func(name string, data any)
}

type recordedEvent struct {
	name string
	data map[string]any
}

func (r *importEvents) Emit(name string, data any) {
	raw, _ := json.Marshal(data)
	var m map[string]any
	json.Unmarshal(raw, &m)
	r.mu.Lock()
	r.events = append(r.events, recordedEvent{name, m})
	hook := r.onEvent
	r.mu.Unlock()
	if hook != nil {
		hook(name, data)
	}
}

func (r *importEvents) named(name string) []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []map[string]any
	for _, e := range r.events {
		if e.name == name {
			out = append(out, e.data)
		}
	}
	return out
}

var testBuyerHeader = []string{"order_date", "email", "amount", "gender", "state"}

// writeBuyersCSV writes n buyer rows (distinct, so none is a duplicate) and
// returns the path and the rows as written.
func writeBuyersCSV(t *testing.T, dir, name string, n, offset int) (string, [][]string) {
	t.Helper()
	genders := []string{"F", "M"}
	states := []string{"Texas", "Ohio", "New York"}
	var b strings.Builder
	b.WriteString(strings.Join(testBuyerHeader, ",") + "\n")
	var rows [][]string
	for i := 0; i < n; i++ {
		k := i + offset
		row := []string{fmt.Sprintf("2026-%02d-%02d", k%12+1, k%28+1), fmt.Sprintf("buyer%d@example.com", k),
			fmt.Sprintf("%d.%02d", 10+k%500, k%100), genders[k%2], states[k%3]}
		rows = append(rows, row)
		b.WriteString(strings.Join(row, ",") + "\n")
	}
	path := filepath.Join(dir, name)
	must(t, os.WriteFile(path, []byte(b.String()), 0o600))
	return path, rows
}

func TestImportFileSummaryPreviewAndEvents(t *testing.T) {
	f := newFixture(t)
	rec := &importEvents{}
	f.api.events = rec
	path, rows := writeBuyersCSV(t, f.dir, "buyers.csv", 250, 0)

	sum, err := f.api.ImportFile(f.tokens[asAnalyst], f.ws, path, "job-1")
	must(t, err)
	d := sum.Dataset
	if d.ID == 0 || d.Name != "buyers.csv" || d.Rows != int64(len(rows)) || len(d.Columns) != len(testBuyerHeader) {
		t.Fatalf("dataset = %+v, want buyers.csv with %d rows and %d columns", d, len(rows), len(testBuyerHeader))
	}
	if sum.MappingSource != sourceSuggest || d.Kind != datasets.Buyers {
		t.Errorf("mapping source %q kind %q, want suggested buyers", sum.MappingSource, d.Kind)
	}
	want := mapping.Mapping{mapping.Date: "order_date", mapping.Email: "email", mapping.Revenue: "amount",
		mapping.Gender: "gender", mapping.State: "state"}
	for field, column := range want {
		if d.Mapping[field] != column {
			t.Errorf("mapping[%s] = %q, want %q", field, d.Mapping[field], column)
		}
	}
	if len(sum.Preview.Rows) != previewRows || sum.Preview.Total != int64(len(rows)) {
		t.Errorf("preview has %d rows (total %d), want %d of %d", len(sum.Preview.Rows), sum.Preview.Total, previewRows, len(rows))
	}
	assertPreviewContains(t, sum.Preview, rows[:previewRows])

	if got := rec.named("import:done"); len(got) != 1 || got[0]["jobId"] != "job-1" {
		t.Errorf("import:done events = %v, want one for job-1", got)
	}
	for _, p := range rec.named("import:progress") {
		if p["jobId"] != "job-1" || p["phase"] == nil {
			t.Errorf("progress event %v lacks jobId/phase", p)
		}
	}
	list, err := f.api.ListDatasets(f.tokens[asViewer], f.ws)
	must(t, err)
	if len(list) != 1 || list[0].ID != d.ID {
		t.Errorf("ListDatasets = %v, want the imported dataset", list)
	}
}

// assertPreviewContains checks that every written row appears in the
// preview (the engine does not promise insertion order).
func assertPreviewContains(t *testing.T, p Preview, written [][]string) {
	t.Helper()
	emailCol := -1
	for i, c := range p.Columns {
		if c == "email" {
			emailCol = i
		}
	}
	if emailCol < 0 {
		t.Fatalf("preview columns %v lack email", p.Columns)
	}
	all := map[string]bool{}
	for _, r := range written {
		all[r[1]] = true
	}
	for _, r := range p.Rows {
		if s, _ := r[emailCol].(string); !all[s] && !strings.HasPrefix(s, "buyer") {
			t.Errorf("preview row %v is not one of the written rows", r)
		}
	}
}

func TestSavedMappingAppliesToTheNextFileWithTheSameHeaders(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens[asOwner]
	first, _ := writeBuyersCSV(t, f.dir, "january.csv", 20, 0)
	sum, err := f.api.ImportFile(tok, f.ws, first, "")
	must(t, err)
	// The analyst decides "state" is not a state here and maps cost instead of nothing.
	edited := mapping.Mapping{mapping.Date: "order_date", mapping.Email: "email", mapping.Cost: "amount", mapping.Gender: "gender"}
	saved, err := f.api.SaveMapping(tok, f.ws, sum.Dataset.ID, edited)
	must(t, err)
	if len(saved.Mapping) != len(edited) || saved.Mapping[mapping.Cost] != "amount" {
		t.Errorf("SaveMapping returned %v, want %v", saved.Mapping, edited)
	}
	must(t, f.api.SetDatasetKind(tok, f.ws, sum.Dataset.ID, datasets.Leads))

	second, _ := writeBuyersCSV(t, f.dir, "february.csv", 20, 1000)
	next, err := f.api.ImportFile(tok, f.ws, second, "")
	must(t, err)
	if next.MappingSource != sourceSaved || next.Dataset.Kind != datasets.Leads {
		t.Errorf("second import: source %q kind %q, want saved leads", next.MappingSource, next.Dataset.Kind)
	}
	if len(next.Dataset.Mapping) != len(edited) {
		t.Errorf("second mapping %v, want %v", next.Dataset.Mapping, edited)
	}
	for field, column := range edited {
		if next.Dataset.Mapping[field] != column {
			t.Errorf("second mapping[%s] = %q, want %q", field, next.Dataset.Mapping[field], column)
		}
	}
	info, err := f.api.GetMapping(f.tokens[asViewer], f.ws, next.Dataset.ID)
	must(t, err)
	if !info.Saved || info.Suggestions[mapping.Revenue] != "amount" || len(info.Fields) != len(mapping.Fields) {
		t.Errorf("GetMapping = saved %v suggestions %v (%d fields)", info.Saved, info.Suggestions, len(info.Fields))
	}
	if !slices.Contains(info.Compatible[mapping.Date], "order_date") || slices.Contains(info.Compatible[mapping.Date], "email") {
		t.Errorf("compatible date columns = %v", info.Compatible[mapping.Date])
	}
}

func TestSaveMappingRejectsBadMappings(t *testing.T) {
	f := newFixture(t)
	id := f.dataset(f.ws)
	tok := f.tokens[asOwner]
	for m, want := range map[string]mapping.Mapping{
		"not in this dataset":  {mapping.Revenue: "no_such_column"},
		"needs a number":       {mapping.Revenue: "email"},
		`unknown field "shoe"`: {"shoe": "email"},
	} {
		if _, err := f.api.SaveMapping(tok, f.ws, id, want); err == nil || !strings.Contains(err.Error(), m) {
			t.Errorf("SaveMapping(%v) = %v, want an error mentioning %q", want, err, m)
		}
	}
	d, err := f.api.GetDataset(tok, f.ws, id)
	must(t, err)
	if d.Mapping[mapping.Revenue] != "revenue" {
		t.Errorf("a refused mapping changed the dataset: %v", d.Mapping)
	}
}

func TestUploadIsAuditedWithoutPaths(t *testing.T) {
	f := newFixture(t)
	path, rows := writeBuyersCSV(t, f.dir, "audited.csv", 10, 0)
	sum, err := f.api.ImportFile(f.tokens[asAnalyst], f.ws, path, "")
	must(t, err)
	var userID, wsID int64
	var details string
	must(t, f.api.db.QueryRow(`SELECT user_id, workspace_id, details FROM audit_log WHERE action = 'upload'`).Scan(&userID, &wsID, &details))
	if userID != f.userIDs[asAnalyst] || wsID != f.ws {
		t.Errorf("audit user %d workspace %d, want %d %d", userID, wsID, f.userIDs[asAnalyst], f.ws)
	}
	var got map[string]any
	must(t, json.Unmarshal([]byte(details), &got))
	if got["file"] != "audited.csv" || got["rows"] != float64(len(rows)) || got["datasetId"] != float64(sum.Dataset.ID) ||
		got["columns"] != float64(len(testBuyerHeader)) {
		t.Errorf("audit details = %v", got)
	}
	if strings.Contains(details, f.dir) {
		t.Errorf("audit details leak the file path: %s", details)
	}
}

func TestFailedImportKeepsEarlierDatasets(t *testing.T) {
	f := newFixture(t)
	rec := &importEvents{}
	f.api.events = rec
	tok := f.tokens[asOwner]
	good, _ := writeBuyersCSV(t, f.dir, "good.csv", 30, 0)
	first, err := f.api.ImportFile(tok, f.ws, good, "")
	must(t, err)
	tablesBefore := engineTables(t, f) // the dataset's and its index dictionary
	broken := filepath.Join(f.dir, "broken.csv")
	must(t, os.WriteFile(broken, []byte("a,b,c\n1,2,3\n4,5,6,7,8\n"), 0o600))

	_, err = f.api.ImportFile(tok, f.ws, broken, "job-broken")
	if err == nil || !strings.Contains(err.Error(), "broken.csv") || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("broken import error = %v, want one naming broken.csv line 3", err)
	}
	if got := rec.named("import:failed"); len(got) != 1 || got[0]["jobId"] != "job-broken" || got[0]["error"] != err.Error() {
		t.Errorf("import:failed events = %v", got)
	}
	list, err := f.api.ListDatasets(tok, f.ws)
	must(t, err)
	if len(list) != 1 || list[0].ID != first.Dataset.ID {
		t.Fatalf("datasets after a failed import = %v, want only the first", list)
	}
	p, err := f.api.PreviewDataset(tok, f.ws, first.Dataset.ID, 5)
	must(t, err)
	if len(p.Rows) != 5 {
		t.Errorf("first dataset preview has %d rows, want 5", len(p.Rows))
	}
	if n := engineTables(t, f); n != tablesBefore {
		t.Errorf("%d tables in the engine after a failed import, want the %d from before", n, tablesBefore)
	}
}

func TestCancelImport(t *testing.T) {
	f := newFixture(t)
	rec := &importEvents{}
	f.api.events = rec
	path, _ := writeBuyersCSV(t, f.dir, "big.csv", 200000, 0)
	var once sync.Once
	var outsiderErr, ownErr error
	rec.onEvent = func(name string, data any) {
		if name != "import:progress" {
			return
		}
		once.Do(func() {
			outsiderErr = f.api.CancelImport(f.tokens[asAnalyst], "job-big")
			ownErr = f.api.CancelImport(f.tokens[asOwner], "job-big")
		})
	}
	_, err := f.api.ImportFile(f.tokens[asOwner], f.ws, path, "job-big")
	if outsiderErr == nil {
		t.Error("another user cancelled the owner's import")
	}
	must(t, ownErr)
	if err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("cancelled import returned %v, want a cancellation error", err)
	}
	if list, _ := f.api.ListDatasets(f.tokens[asOwner], f.ws); len(list) != 0 {
		t.Errorf("a cancelled import left datasets: %v", list)
	}
	if err := f.api.CancelImport(f.tokens[asOwner], "job-big"); err == nil {
		t.Error("cancelling a finished job succeeded")
	}
}

func TestDeleteDatasetDropsItsTable(t *testing.T) {
	f := newFixture(t)
	id := f.dataset(f.ws)
	tok := f.tokens[asAnalyst]
	// A dashboard builds the dataset's indexes, one of them a table of its own.
	_, err := f.api.BuyersDashboard(tok, f.ws, id, DashboardQuery{})
	must(t, err)
	if n := engineTables(t, f); n < 2 {
		t.Fatalf("%d tables in the engine after a dashboard, want the dataset's and its dimension dictionary", n)
	}
	must(t, f.api.DeleteDataset(tok, f.ws, id))
	if _, err := f.api.GetDataset(tok, f.ws, id); err != datasets.ErrNotFound {
		t.Errorf("GetDataset after delete = %v, want ErrNotFound", err)
	}
	if n := engineTables(t, f); n != 0 {
		t.Errorf("%d tables left in the engine", n)
	}
}

func TestDatasetCallsValidateArguments(t *testing.T) {
	f := newFixture(t)
	id := f.dataset(f.ws)
	tok := f.tokens[asOwner]
	if _, err := f.api.PreviewDataset(tok, f.ws, id, maxPreviewRows+1); err == nil {
		t.Error("a preview of more than the maximum rows was allowed")
	}
	p, err := f.api.PreviewDataset(tok, f.ws, id, 0)
	must(t, err)
	if int64(len(p.Rows)) != p.Total {
		t.Errorf("default preview of a 3-row dataset has %d rows, total %d", len(p.Rows), p.Total)
	}
	if err := f.api.SetDatasetKind(tok, f.ws, id, "prospects"); err == nil || !strings.Contains(err.Error(), "prospects") {
		t.Errorf("SetDatasetKind(prospects) = %v", err)
	}
	if _, err := f.api.GetDataset(tok, f.ws, f.dataset(f.foreignWS)); err == nil {
		t.Error("a dataset of another workspace was returned through this one")
	}
	if _, err := f.api.ImportFile(tok, f.ws, filepath.Join(f.dir, "missing.csv"), ""); err == nil ||
		!strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("importing a missing file = %v, want an error naming it", err)
	}
}

func engineTables(t *testing.T, f *fixture) int {
	t.Helper()
	db, err := f.api.engine.Workspace(f.ws)
	must(t, err)
	var n int
	must(t, db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'`).Scan(&n))
	return n
}

func TestLoadSampleDataImportsBuyersAndVisitors(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports 100,000 rows")
	}
	f := newFixture(t)
	sums, err := f.api.LoadSampleData(f.tokens[asAnalyst], f.ws)
	must(t, err)
	kinds := map[string]datasets.Dataset{}
	for _, s := range sums {
		kinds[s.Dataset.Kind] = s.Dataset
	}
	for _, kind := range []string{datasets.Buyers, datasets.Visitors} {
		d, ok := kinds[kind]
		if !ok {
			t.Errorf("no %s dataset among %v", kind, sums)
			continue
		}
		if want := sampleRowsOf(kind, 0); d.Rows+d.DuplicatesRemoved != int64(want) || d.Mapping[mapping.Date] == "" {
			t.Errorf("%s sample: %d rows + %d duplicates, mapping %v; want %d rows with a date", kind, d.Rows,
				d.DuplicatesRemoved, d.Mapping, want)
		}
	}
	if kinds[datasets.Buyers].Mapping[mapping.Revenue] == "" || kinds[datasets.Visitors].Mapping[mapping.VisitorID] == "" {
		t.Errorf("sample mappings lack revenue/visitor id: %v / %v", kinds[datasets.Buyers].Mapping, kinds[datasets.Visitors].Mapping)
	}
	left, _ := filepath.Glob(filepath.Join(f.api.engine.WorkspaceDir(f.ws), "tmp", "sample-*"))
	if len(left) != 0 {
		t.Errorf("sample files left behind: %v", left)
	}
}

// The Data page follows the samples' progress: each sample's job says
// "generating" first, then reports its import and ends with import:done.
func TestLoadSampleDataReportsProgressPerSample(t *testing.T) {
	f := newFixture(t)
	f.api.sampleRows = 200
	rec := &importEvents{}
	f.api.events = rec
	if _, err := f.api.LoadSampleData(f.tokens[asAnalyst], f.ws); err != nil {
		t.Fatal(err)
	}
	progress := rec.named("import:progress")
	for _, kind := range []string{datasets.Buyers, datasets.Visitors} {
		var phases []string
		job := ""
		for _, e := range progress {
			if id, _ := e["jobId"].(string); strings.HasPrefix(id, "sample-"+kind+"-") && (job == "" || id == job) {
				job = id
				phases = append(phases, e["phase"].(string))
			}
		}
		if len(phases) < 2 || phases[0] != "generating" {
			t.Errorf("%s sample progress phases %v, want generating first, then the import's", kind, phases)
		}
		done := false
		for _, e := range rec.named("import:done") {
			done = done || e["jobId"] == job
		}
		if !done {
			t.Errorf("no import:done for %s sample job %q", kind, job)
		}
	}
}

func TestImportAsLocalUserFindsOrCreatesTheWorkspace(t *testing.T) {
	f := newFixture(t)
	path, rows := writeBuyersCSV(t, f.dir, "cli.csv", 12, 0)
	sum, err := ImportAsLocalUser(f.api, "own", path) // the fixture's "Own" workspace, any case
	must(t, err)
	if sum.Dataset.WorkspaceID != f.ws || sum.Dataset.Rows != int64(len(rows)) {
		t.Errorf("imported into workspace %d with %d rows, want %d with %d", sum.Dataset.WorkspaceID, sum.Dataset.Rows, f.ws, len(rows))
	}
	again, err := ImportAsLocalUser(f.api, "Headless", path)
	must(t, err)
	local, err := f.api.auth.UserByEmail(LocalUserEmail)
	must(t, err)
	ws, err := f.api.workspaces.Get(local.ID, again.Dataset.WorkspaceID)
	must(t, err)
	if ws.Name != "Headless" || ws.Role != "owner" || again.Dataset.ImportedBy != local.ID {
		t.Errorf("new workspace %+v imported by %d, want Headless owned by the local account %d", ws, again.Dataset.ImportedBy, local.ID)
	}
	if _, err := f.api.Login(LocalUserEmail, ""); err == nil {
		t.Error("the passwordless local account can log in")
	}
}

func TestImportedUploadsAreRemovedButPickedFilesAreNot(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens[asOwner]
	uploadDir := filepath.Join(f.dir, "uploads", "up-123")
	must(t, os.MkdirAll(uploadDir, 0o700))
	uploaded, _ := writeBuyersCSV(t, uploadDir, "uploaded.csv", 5, 0)
	picked, _ := writeBuyersCSV(t, f.dir, "picked.csv", 5, 0)
	_, err := f.api.ImportFile(tok, f.ws, uploaded, "")
	must(t, err)
	_, err = f.api.ImportFile(tok, f.ws, picked, "")
	must(t, err)
	if _, err := os.Stat(uploadDir); !os.IsNotExist(err) {
		t.Errorf("the imported upload's folder still exists (%v)", err)
	}
	if _, err := os.Stat(picked); err != nil {
		t.Errorf("the user's own file was touched: %v", err)
	}
}

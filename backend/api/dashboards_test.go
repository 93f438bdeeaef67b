package api

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"leadnavigator/backend/audit"
	"leadnavigator/backend/datasets"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/rowindex"
	"leadnavigator/backend/views"
)

// The fixture's buyers rows (see fixture_datasets_test.go), restated so the
// expected values below are worked out from them by hand:
//   2026-01-05 a Email       120 refund 0  cost 10
//   2026-01-20 b Paid Search  80 refund 20 cost 15
//   2026-02-03 a Email        60 refund 0  cost 5

func TestBuyersDashboardThroughAPI(t *testing.T) {
	f := newFixture(t)
	ds := f.dataset(f.ws)
	tok := f.tokens[asViewer]
	dash, err := f.api.BuyersDashboard(tok, f.ws, 0, DashboardQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if dash.Dataset.ID != ds || dash.RowsMatched != 3 {
		t.Fatalf("dataset %+v rows %d", dash.Dataset, dash.RowsMatched)
	}
	got := map[string]any{}
	for _, k := range dash.KPIs {
		got[k.ID] = k.Value
	}
	// 3 rows, no order id: AOV = 260/3; customers a (new 01-05) and b (new 01-20); cost 30.
	want := map[string]any{"total_revenue": 260.0, "aov": 260.0 / 3, "refunds": 20.0, "net_revenue": 240.0,
		"cac": 15.0, "ltv_90": (180.0 + 80.0) / 2}
	for id, w := range want {
		if fmt.Sprint(got[id]) != fmt.Sprint(w) {
			t.Errorf("%s = %v, want %v", id, got[id], w)
		}
	}
	if _, ok := got["conversion_rate"]; ok {
		t.Error("conversion rate without a visitors file")
	}
	if !hasNote(dash.Missing, "Conversion Rate") {
		t.Errorf("no note about conversion: %+v", dash.Missing)
	}
	// With a filter on channel only the Email rows count (120 + 60).
	dash, err = f.api.BuyersDashboard(tok, f.ws, ds, DashboardQuery{Filters: filters.Set{Values: map[string][]string{"channel": {"Email"}}}, Granularity: "month"})
	if err != nil {
		t.Fatal(err)
	}
	if dash.RowsMatched != 2 || dash.KPIs[0].Value != 180.0 {
		t.Errorf("Email only: rows %d revenue %v, want 2, 180", dash.RowsMatched, dash.KPIs[0].Value)
	}
	if x := dash.Charts["over_time"].X; strings.Join(x, ",") != "2026-01-01,2026-02-01" {
		t.Errorf("monthly axis = %v", x)
	}
}

func hasNote(ms any, feature string) bool { return strings.Contains(fmt.Sprintf("%+v", ms), feature) }

func TestConversionUsesTheLatestVisitorsFile(t *testing.T) {
	f := newFixture(t)
	f.dataset(f.ws)
	db, err := f.api.engine.Workspace(f.ws)
	must(t, err)
	_, err = db.Exec(`CREATE TABLE visits AS SELECT * FROM (VALUES
		(DATE '2026-01-02', 'v1'), (DATE '2026-01-03', 'v1'), (DATE '2026-01-09', 'v2'), (DATE '2026-02-01', 'v3'), (DATE '2026-02-10', 'v4')
	) t(visit_date, visitor)`)
	must(t, err)
	must(t, f.api.datasets.Insert(&datasets.Dataset{WorkspaceID: f.ws, Name: "visits.csv", Kind: datasets.Visitors, Table: "visits", Rows: 5,
		Columns: []datasets.Column{{Name: "visit_date", Type: "date"}, {Name: "visitor", Type: "text"}},
		Mapping: mapping.Mapping{mapping.Date: "visit_date", mapping.VisitorID: "visitor"}, HeaderSignature: "v", Encoding: "utf-8", Separator: ","}))
	dash, err := f.api.BuyersDashboard(f.tokens[asOwner], f.ws, 0, DashboardQuery{Filters: filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range dash.KPIs {
		if k.ID == "conversion_rate" {
			// January: buyers a and b (2) over visitors v1, v2 (2).
			if k.Value != 1.0 {
				t.Errorf("conversion = %v, want 1", k.Value)
			}
			return
		}
	}
	t.Errorf("no conversion KPI in %+v", dash.KPIs)
}

func TestFilterOptionsAndErrors(t *testing.T) {
	f := newFixture(t)
	ds := f.dataset(f.ws)
	opts, err := f.api.FilterOptions(f.tokens[asViewer], f.ws, ds, "gender", "", filters.Set{Values: map[string][]string{"state": {"Texas"}}})
	must(t, err)
	if fmt.Sprint(opts) != fmt.Sprint([]datasets.ValueCount{{Value: "Female", Count: 2}}) {
		t.Errorf("options = %+v", opts)
	}
	if _, err := f.api.FilterOptions(f.tokens[asViewer], f.ws, ds, "password", "", filters.Set{}); err == nil {
		t.Error("unknown column accepted")
	}
	if _, err := f.api.VisitorsDashboard(f.tokens[asViewer], f.ws, 0, DashboardQuery{}); err == nil || !strings.Contains(err.Error(), "import one") {
		t.Errorf("visitors dashboard without visitors: %v", err)
	}
	if _, err := f.api.BuyersDashboard(f.tokens[asViewer], f.ws, ds, DashboardQuery{Granularity: "hour"}); err == nil {
		t.Error("bad granularity accepted")
	}
}

func TestViewsThroughAPI(t *testing.T) {
	f := newFixture(t)
	v, err := f.api.SaveView(f.tokens[asAnalyst], f.ws, views.View{ID: 999, WorkspaceID: f.foreignWS, Name: "Q1 email",
		Dashboard: views.Buyers, Granularity: "week", Filters: textFilters})
	must(t, err)
	if v.WorkspaceID != f.ws || v.CreatedBy != f.userIDs[asAnalyst] {
		t.Errorf("saved into %d by %d", v.WorkspaceID, v.CreatedBy)
	}
	list, err := f.api.ListViews(f.tokens[asViewer], f.ws, views.Buyers)
	must(t, err)
	if len(list) != 1 || list[0].Filters.Key() != textFilters.Key() || list[0].Granularity != "week" {
		t.Fatalf("list = %+v", list)
	}
	if foreign, _ := f.api.dashboards.views.List(f.foreignWS, ""); len(foreign) != 0 {
		t.Errorf("view leaked into the foreign workspace: %+v", foreign)
	}
	must(t, f.api.DeleteView(f.tokens[asOwner], f.ws, v.ID))
	if list, _ := f.api.ListViews(f.tokens[asViewer], f.ws, ""); len(list) != 0 {
		t.Errorf("after delete: %+v", list)
	}
	rows, _ := f.api.audit.List(f.ws, audit.Filter{})
	var actions []string
	for _, r := range rows {
		actions = append(actions, r.Action)
	}
	if !strings.Contains(strings.Join(actions, ","), "view.delete,view.save") {
		t.Errorf("audit actions = %v", actions)
	}
}

func TestExportRowsAndSummary(t *testing.T) {
	f := newFixture(t)
	ds := f.dataset(f.ws)
	tok := f.tokens[asAnalyst]
	// A dashboard first, so the table carries its hidden person index,
	// which an export must not show.
	_, err := f.api.BuyersDashboard(tok, f.ws, ds, DashboardQuery{})
	must(t, err)
	d, err := f.api.datasets.Get(f.ws, ds)
	must(t, err)
	db, err := f.api.engine.Workspace(f.ws)
	must(t, err)
	var hidden int
	must(t, db.QueryRow("SELECT COUNT(*) FROM duckdb_columns() WHERE table_name = ? AND starts_with(column_name, ?)", d.Table, rowindex.Prefix).Scan(&hidden))
	if hidden == 0 {
		t.Fatal("the dashboard built no person index: this test would not check that exports hide it")
	}
	// Serve mode: a bare name lands in <data-dir>/exports under a unique name.
	res, err := f.api.ExportRows(tok, f.ws, ds, filters.Set{Values: map[string][]string{"channel": {"Email"}}}, "buyers.csv")
	must(t, err)
	if res.Rows != 2 || filepath.Dir(res.Path) != filepath.Join(f.dir, "exports") || !strings.HasSuffix(res.Name, ".csv") {
		t.Fatalf("result = %+v", res)
	}
	fh, err := os.Open(res.Path)
	must(t, err)
	recs, err := csv.NewReader(fh).ReadAll()
	fh.Close()
	must(t, err)
	if len(recs) != 3 || recs[0][0] != "order_date" || recs[1][2] != "Email" || recs[2][2] != "Email" {
		t.Errorf("csv = %q", recs)
	}
	if len(recs[0]) != len(d.Columns) || strings.Contains(strings.Join(recs[0], ","), rowindex.Prefix) {
		t.Errorf("export header %q, want exactly the dataset's %d columns", recs[0], len(d.Columns))
	}
	// Desktop: an absolute path picked in the save dialog, XLSX.
	path := filepath.Join(t.TempDir(), "all.xlsx")
	res, err = f.api.ExportRows(tok, f.ws, ds, filters.Set{}, path)
	must(t, err)
	x, err := excelize.OpenFile(path)
	must(t, err)
	xrows, _ := x.GetRows("Sheet1")
	x.Close()
	if res.Rows != 3 || len(xrows) != 4 || xrows[1][0] != "2026-01-05" {
		t.Errorf("xlsx rows = %q (result %+v)", xrows, res)
	}
	for _, bad := range []string{"../escape.csv", "rel/dir.csv", "/tmp/x.txt", "x.pdf"} {
		if _, err := f.api.ExportRows(tok, f.ws, ds, filters.Set{}, bad); err == nil {
			t.Errorf("export to %q accepted", bad)
		}
	}
	res, err = f.api.ExportSummary(tok, f.ws, ds, "buyers", DashboardQuery{Filters: textFilters}, "")
	must(t, err)
	body, err := os.ReadFile(res.Path)
	must(t, err)
	for _, want := range []string{"KPI,Total Revenue,,180,", "Filter,channel,,Email", "Filter,Date range,,2026-01-01 to open"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("summary lacks %q:\n%s", want, body)
		}
	}
	rows, _ := f.api.audit.List(f.ws, audit.Filter{Action: "export"})
	if len(rows) != 3 {
		t.Errorf("%d export audit entries, want 3", len(rows))
	}
}

func TestExportRowsRefusesXLSXBeyondASheet(t *testing.T) {
	f := newFixture(t)
	db, err := f.api.engine.Workspace(f.ws)
	must(t, err)
	_, err = db.Exec(`CREATE TABLE big AS SELECT range AS n FROM range(1048576)`)
	must(t, err)
	d := &datasets.Dataset{WorkspaceID: f.ws, Name: "big.csv", Kind: datasets.Buyers, Table: "big", Rows: 1048576,
		Columns: []datasets.Column{{Name: "n", Type: "integer"}}, Mapping: mapping.Mapping{}, HeaderSignature: "b", Encoding: "utf-8", Separator: ","}
	must(t, f.api.datasets.Insert(d))
	path := filepath.Join(t.TempDir(), "big.xlsx")
	if _, err := f.api.ExportRows(f.tokens[asOwner], f.ws, d.ID, filters.Set{}, path); err == nil || !strings.Contains(err.Error(), "at most 1,048,575") {
		t.Fatalf("err = %v, want the XLSX row limit", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a refused export left a file: %v", err)
	}
}

package assistant

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestCompileBindsValuesAndRejectsUnknownColumns(t *testing.T) {
	e := newEnv(t, 100)
	evil := "Texas' OR 1=1 --"
	p := Plan{Metric: Metric{Op: OpRevenue}, GroupBy: []GroupBy{{Column: "state"}},
		Filters: []Filter{{Column: "state", Op: "in", Values: []string{evil}}}, DateFrom: "2025-01-01", DateTo: "2025-12-31", Limit: 5}
	q, err := Compile(p, e.ds, Where{SQL: `"channel" = ?`, Args: []any{"Email"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(q.SQL, evil) || strings.Count(q.SQL, "?") != 4 || len(q.Args) != 4 || q.Args[0] != "Email" || q.Args[1] != evil {
		t.Fatalf("values must travel as parameters: %s %v", q.SQL, q.Args)
	}
	tbl, err := DBExecutor{DB: e.manager.Workspace}.Run(context.Background(), testWS, q)
	if err != nil || len(tbl.Rows) != 0 {
		t.Fatalf("the injected value matched rows: %v %v", tbl.Rows, err)
	}
	bad := []Plan{
		{Metric: Metric{Op: OpSum, Column: `revenue"); DROP TABLE ds_suite; --`}},
		{Metric: Metric{Op: OpCount}, GroupBy: []GroupBy{{Column: "state", Bucket: "month"}}},
		{Metric: Metric{Op: OpAvg, Column: "state"}},
		{Metric: Metric{Op: OpCount}, Filters: []Filter{{Column: "revenue", Op: "gt", Values: []string{"1; DROP"}}}},
		{Metric: Metric{Op: OpCount}, DateFrom: "2026-02-01", DateTo: "2026-01-01"},
		{Metric: Metric{Op: "DELETE"}},
		{Metric: Metric{Op: OpCount}, Limit: 100000},
	}
	for _, b := range bad {
		if _, err := Compile(b, e.ds, Where{}); !errors.Is(err, ErrInvalidPlan) {
			t.Errorf("plan %+v compiled (err %v), want an invalid plan", b, err)
		}
	}
	if got := p.Describe(); got != "Revenue grouped by state, state = "+evil+", top 5, date 2025-01-01..2025-12-31" {
		t.Errorf("Describe = %q", got)
	}
}

func TestAnswerChartShapes(t *testing.T) {
	e := newEnv(t, 500)
	ans, err := e.svc.Ask(context.Background(), e.request("Monthly orders this year vs last year"))
	if err != nil {
		t.Fatal(err)
	}
	c := ans.Chart
	if c == nil || c.Type != "line" || len(c.Series) != 2 || c.Series[0].Name != "2025" || len(c.X) != 12 || c.X[0] != "01" {
		t.Fatalf("chart %+v, want a line per year over 12 months", c)
	}
	total := 0.0
	for _, s := range c.Series {
		for _, y := range s.Y {
			total += y
		}
	}
	if int(total) != len(e.rows) {
		t.Errorf("chart sums to %v orders, want %d", total, len(e.rows))
	}
	ans, _ = e.svc.Ask(context.Background(), e.request("Gender split of buyers"))
	if ans.Chart == nil || ans.Chart.Type != "pie" || len(ans.Chart.X) != 3 {
		t.Errorf("gender split chart %+v, want a pie of 3", ans.Chart)
	}
	ans, _ = e.svc.Ask(context.Background(), e.request("Total revenue"))
	if ans.Chart != nil || !strings.HasPrefix(ans.Text, "Revenue: ") {
		t.Errorf("single value answer %q with chart %+v", ans.Text, ans.Chart)
	}
}

func TestEmptyAnswerSaysWhenTheDataRuns(t *testing.T) {
	e := newEnv(t, 100)
	for i := range e.ds.Columns {
		if e.ds.Columns[i].Name == "order_date" {
			e.ds.Columns[i].Min, e.ds.Columns[i].Max = "2025-01-01", "2026-06-14"
		}
	}
	ans, err := e.svc.Ask(context.Background(), e.request("Revenue in 2019"))
	if err != nil {
		t.Fatal(err)
	}
	if ans.Text != NoRows+" The data runs from 2025-01-01 to 2026-06-14." {
		t.Fatalf("text %q", ans.Text)
	}
}

package assistant

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Table is an answer's rows: label columns then the value column.
type Table struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// Series is one line or set of bars of a chart.
type Series struct {
	Name string    `json:"name"`
	Y    []float64 `json:"y"`
}

// Chart is what the UI draws with Plotly.
type Chart struct {
	Type   string   `json:"type"` // bar, line, pie
	X      []string `json:"x"`
	Series []Series `json:"series"`
	Title  string   `json:"title"`
}

// Answer is what the assistant says back.
type Answer struct {
	Text     string `json:"text"`
	PlanText string `json:"planText,omitempty"`
	Plan     *Plan  `json:"plan,omitempty"`
	Table    *Table `json:"table,omitempty"`
	Chart    *Chart `json:"chart,omitempty"`
	Notice   string `json:"notice,omitempty"` // e.g. why Gemini was not used
	Mode     string `json:"mode"`             // gemini or offline
	Refused  bool   `json:"refused,omitempty"`
}

// Executor runs a compiled query against a workspace's engine.
type Executor interface {
	Run(ctx context.Context, workspaceID int64, q Query) (Table, error)
}

// DBExecutor runs queries on the DuckDB handle of a workspace.
type DBExecutor struct {
	DB func(workspaceID int64) (*sql.DB, error)
}

// Run executes q and reads every row (at most MaxRows by construction).
func (e DBExecutor) Run(ctx context.Context, workspaceID int64, q Query) (Table, error) {
	db, err := e.DB(workspaceID)
	if err != nil {
		return Table{}, err
	}
	rows, err := db.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return Table{}, fmt.Errorf("run query: %w", err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	t := Table{Columns: cols, Rows: [][]any{}}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return Table{}, err
		}
		t.Rows = append(t.Rows, normalizeRow(vals))
	}
	return t, rows.Err()
}

// normalizeRow turns driver values into JSON-friendly ones (NaN and
// infinities, which JSON cannot carry, become null).
func normalizeRow(vals []any) []any {
	for i, v := range vals {
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				vals[i] = nil
			}
		case int32:
			vals[i] = int64(x)
		case []byte:
			vals[i] = string(x)
		}
	}
	return vals
}

// asFloat reads a value cell.
func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}

// present labels the table's columns, writes the answer text and picks a chart.
func present(p Plan, t Table) (Table, *Chart, string) {
	labels := make([]string, 0, len(t.Columns))
	for _, g := range p.GroupBy {
		if g.Bucket != "" {
			labels = append(labels, strings.ReplaceAll(g.Bucket, "_", " "))
		} else {
			labels = append(labels, g.Column)
		}
	}
	t.Columns = append(labels, p.Metric.Label())
	return t, chartFor(p, t), summarize(p, t)
}

// NoRows is the answer text when nothing matches.
const NoRows = "No rows match this question (with the filters in effect)."

func summarize(p Plan, t Table) string {
	// Sums and averages over no rows are NULL rather than no row.
	if len(t.Rows) == 0 || (len(p.GroupBy) == 0 && t.Rows[0][0] == nil) {
		return NoRows
	}
	if len(p.GroupBy) == 0 {
		return fmt.Sprintf("%s: %s.", p.Metric.Label(), formatValue(p.Metric, t.Rows[0][0]))
	}
	var parts []string
	for i, r := range t.Rows {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(t.Rows)-5))
			break
		}
		label := make([]string, len(r)-1)
		for j := range label {
			label[j] = fmt.Sprint(r[j])
		}
		parts = append(parts, fmt.Sprintf("%s: %s", strings.Join(label, " "), formatValue(p.Metric, r[len(r)-1])))
	}
	return fmt.Sprintf("%s by %s — %s.", p.Metric.Label(), strings.Join(t.Columns[:len(p.GroupBy)], " and "), strings.Join(parts, "; "))
}

// formatValue writes a value for reading: counts whole, money with cents, rates as percents.
func formatValue(m Metric, v any) string {
	f, ok := asFloat(v)
	if !ok {
		if v == nil {
			return "no value"
		}
		return fmt.Sprint(v)
	}
	switch m.Op {
	case OpCount, OpCountDistinct, OpPeople:
		return groupThousands(strconv.FormatInt(int64(f), 10))
	case OpRefundRate:
		return strconv.FormatFloat(f*100, 'f', 2, 64) + "%"
	case OpROAS:
		return strconv.FormatFloat(f, 'f', 2, 64) + "x"
	}
	s := strconv.FormatFloat(f, 'f', 2, 64)
	whole, frac, _ := strings.Cut(s, ".")
	return groupThousands(whole) + "." + frac
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func chartFor(p Plan, t Table) *Chart {
	if len(p.GroupBy) == 0 || len(t.Rows) == 0 {
		return nil
	}
	kind := p.Chart
	if kind == "" {
		kind = "bar"
		if p.GroupBy[0].Bucket != "" {
			kind = "line"
		}
	}
	c := &Chart{Type: kind, Title: p.Describe()}
	if len(p.GroupBy) == 1 {
		s := Series{Name: p.Metric.Label()}
		for _, r := range t.Rows {
			c.X = append(c.X, fmt.Sprint(r[0]))
			y, _ := asFloat(r[1])
			s.Y = append(s.Y, y)
		}
		c.Series = []Series{s}
		return c
	}
	return pivot(c, t)
}

// pivot draws a two-way grouping as one series per second-group value
// ("monthly conversions this year vs last": months on x, a line per year).
func pivot(c *Chart, t Table) *Chart {
	if c.Type == "pie" {
		c.Type = "bar"
	}
	xIndex, sIndex := map[string]int{}, map[string]int{}
	for _, r := range t.Rows {
		x, s := fmt.Sprint(r[0]), fmt.Sprint(r[1])
		if _, ok := xIndex[x]; !ok {
			xIndex[x] = len(c.X)
			c.X = append(c.X, x)
		}
		if _, ok := sIndex[s]; !ok {
			sIndex[s] = len(c.Series)
			c.Series = append(c.Series, Series{Name: s})
		}
	}
	for i := range c.Series {
		c.Series[i].Y = make([]float64, len(c.X))
	}
	for _, r := range t.Rows {
		y, _ := asFloat(r[2])
		c.Series[sIndex[fmt.Sprint(r[1])]].Y[xIndex[fmt.Sprint(r[0])]] = y
	}
	return c
}

package assistant

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/mapping"
)

// MaxRows caps the rows of any answer.
const MaxRows = 1000

// ErrInvalidPlan wraps every reason a plan is refused.
var ErrInvalidPlan = errors.New("invalid query plan")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidPlan, fmt.Sprintf(format, args...))
}

// Query is a compiled plan: one SELECT with bound parameters.
type Query struct {
	SQL  string
	Args []any
	// Groups is the number of leading label columns; the last column is the value.
	Groups int
}

// Where is an extra SQL condition with its parameters (the active
// dashboard filters, compiled by package filters).
type Where struct {
	SQL  string
	Args []any
	Text string // the filters in plain words, shown with the plan
}

func isNumeric(t string) bool {
	return t == "integer" || t == "decimal" || t == "currency" || t == "percent"
}

func isDate(t string) bool { return t == "date" || t == "datetime" }

func column(d datasets.Dataset, name string) (datasets.Column, bool) {
	for _, c := range d.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return datasets.Column{}, false
}

// Validate checks every field of p against the dataset's schema.
func Validate(p Plan, d datasets.Dataset) error {
	if err := validateMetric(p.Metric, d); err != nil {
		return err
	}
	if len(p.GroupBy) > 2 {
		return invalid("at most two groupings, got %d", len(p.GroupBy))
	}
	for _, g := range p.GroupBy {
		if err := validateGroup(g, d); err != nil {
			return err
		}
	}
	if len(p.Filters) > 20 {
		return invalid("too many filters (%d)", len(p.Filters))
	}
	for _, f := range p.Filters {
		if err := validateFilter(f, d); err != nil {
			return err
		}
	}
	if err := validateDates(p, d); err != nil {
		return err
	}
	if p.Sort != "" && !slices.Contains(SortOrders, p.Sort) {
		return invalid("unknown sort %q", p.Sort)
	}
	if p.Limit < 0 || p.Limit > MaxRows {
		return invalid("limit %d out of range 0..%d", p.Limit, MaxRows)
	}
	if p.Chart != "" && !slices.Contains([]string{"bar", "line", "pie"}, p.Chart) {
		return invalid("unknown chart type %q", p.Chart)
	}
	return nil
}

func validateMetric(m Metric, d datasets.Dataset) error {
	if !slices.Contains(MetricOps, m.Op) {
		return invalid("unknown metric %q", m.Op)
	}
	switch m.Op {
	case OpCountDistinct, OpSum, OpAvg, OpMin, OpMax:
		c, ok := column(d, m.Column)
		if !ok {
			return invalid("unknown column %q", m.Column)
		}
		if (m.Op == OpSum || m.Op == OpAvg) && !isNumeric(c.Type) {
			return invalid("%s of column %s, which is %s, not a number", m.Op, c.Name, c.Type)
		}
		if (m.Op == OpMin || m.Op == OpMax) && !isNumeric(c.Type) && !isDate(c.Type) {
			return invalid("%s of column %s, which is %s", m.Op, c.Name, c.Type)
		}
	case OpPeople:
		if personColumn(d) == "" {
			return invalid("counting people needs an email, customer id or visitor id column mapped")
		}
	}
	for _, f := range fieldsNeeded(m.Op) {
		if _, ok := column(d, d.Mapping[f]); !ok {
			return invalid("%s needs the %s field mapped to a column", m.Label(), f)
		}
	}
	return nil
}

func validateGroup(g GroupBy, d datasets.Dataset) error {
	c, ok := column(d, g.Column)
	if !ok {
		return invalid("unknown column %q", g.Column)
	}
	if g.Bucket == "" {
		return nil
	}
	if !slices.Contains(Buckets, g.Bucket) {
		return invalid("unknown time bucket %q", g.Bucket)
	}
	if !isDate(c.Type) {
		return invalid("time bucket %s on column %s, which is %s, not a date", g.Bucket, c.Name, c.Type)
	}
	return nil
}

func validateFilter(f Filter, d datasets.Dataset) error {
	c, ok := column(d, f.Column)
	if !ok {
		return invalid("unknown column %q", f.Column)
	}
	if !slices.Contains(FilterOps, f.Op) {
		return invalid("unknown filter op %q", f.Op)
	}
	if len(f.Values) == 0 || len(f.Values) > 200 {
		return invalid("filter on %s needs 1..200 values", f.Column)
	}
	if f.Op == "in" || f.Op == "not_in" {
		return nil
	}
	if want := map[bool]int{true: 2, false: 1}[f.Op == "between"]; len(f.Values) != want {
		return invalid("filter %s on %s needs %d values", f.Op, f.Column, want)
	}
	for _, v := range f.Values {
		if _, err := rangeArg(c, v); err != nil {
			return invalid("filter on %s: %v", f.Column, err)
		}
	}
	return nil
}

// rangeArg parses a range bound as a number or a date, per the column type.
func rangeArg(c datasets.Column, v string) (any, error) {
	switch {
	case isNumeric(c.Type):
		return strconv.ParseFloat(strings.TrimSpace(v), 64)
	case isDate(c.Type):
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return nil, fmt.Errorf("%q is not a YYYY-MM-DD date", v)
		}
		return v, nil
	}
	return nil, fmt.Errorf("ranges need a number or date column, %s is %s", c.Name, c.Type)
}

func validateDates(p Plan, d datasets.Dataset) error {
	if p.DateFrom == "" && p.DateTo == "" {
		return nil
	}
	if _, ok := column(d, d.Mapping[mapping.Date]); !ok {
		return invalid("a date range needs the date field mapped to a column")
	}
	for _, s := range []string{p.DateFrom, p.DateTo} {
		if s == "" {
			continue
		}
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return invalid("date %q is not YYYY-MM-DD", s)
		}
	}
	if p.DateFrom != "" && p.DateTo != "" && p.DateFrom > p.DateTo {
		return invalid("date range %s..%s ends before it starts", p.DateFrom, p.DateTo)
	}
	return nil
}

// personColumn is the column identifying a person: email, then customer id, then visitor id.
func personColumn(d datasets.Dataset) string {
	for _, f := range []mapping.Field{mapping.Email, mapping.CustomerID, mapping.VisitorID} {
		if c, ok := column(d, d.Mapping[f]); ok {
			return c.Name
		}
	}
	return ""
}

// Compile validates p and turns it into one query over d's table; active
// is ANDed in unless the plan ignores the dashboard filters.
func Compile(p Plan, d datasets.Dataset, active Where) (Query, error) {
	if err := Validate(p, d); err != nil {
		return Query{}, err
	}
	var sel, conds []string
	var args []any
	for i, g := range p.GroupBy {
		c, _ := column(d, g.Column)
		sel = append(sel, fmt.Sprintf("%s AS g%d", groupExpr(c, g.Bucket), i))
	}
	sel = append(sel, metricExpr(p.Metric, d)+" AS value")
	if active.SQL != "" && !p.IgnoreActiveFilters {
		conds = append(conds, "("+active.SQL+")")
		args = append(args, active.Args...)
	}
	for _, f := range p.Filters {
		c, _ := column(d, f.Column)
		sql, fargs := filterExpr(c, f)
		conds = append(conds, sql)
		args = append(args, fargs...)
	}
	if p.DateFrom != "" || p.DateTo != "" {
		sql, dargs := dateRange(d, p.DateFrom, p.DateTo)
		conds = append(conds, sql)
		args = append(args, dargs...)
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + engine.QuoteIdent(d.Table)
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	if len(p.GroupBy) > 0 {
		q += " GROUP BY ALL ORDER BY " + orderBy(p)
	}
	q += fmt.Sprintf(" LIMIT %d", limit(p))
	return Query{SQL: q, Args: args, Groups: len(p.GroupBy)}, nil
}

func limit(p Plan) int {
	if p.Limit > 0 {
		return p.Limit
	}
	return MaxRows
}

// orderBy sorts by value (largest first) unless grouped by time, where the
// natural order is chronological; label order breaks ties deterministically.
func orderBy(p Plan) string {
	labels := make([]string, len(p.GroupBy))
	for i := range p.GroupBy {
		labels[i] = fmt.Sprintf("g%d ASC", i)
	}
	sort := p.Sort
	if sort == "" {
		sort = "value_desc"
		if p.GroupBy[0].Bucket != "" && p.Limit == 0 {
			sort = "group_asc"
		}
	}
	switch sort {
	case "value_desc":
		return "value DESC NULLS LAST, " + strings.Join(labels, ", ")
	case "value_asc":
		return "value ASC NULLS LAST, " + strings.Join(labels, ", ")
	case "group_desc":
		return strings.ReplaceAll(strings.Join(labels, ", "), "ASC", "DESC")
	}
	return strings.Join(labels, ", ")
}

func dateExpr(c datasets.Column) string {
	return "TRY_CAST(" + engine.QuoteIdent(c.Name) + " AS DATE)"
}

// groupExpr labels each row's group as text so every answer table has the same shape.
func groupExpr(c datasets.Column, bucket string) string {
	if bucket == "" {
		return "COALESCE(CAST(" + engine.QuoteIdent(c.Name) + " AS VARCHAR), '(blank)')"
	}
	d := dateExpr(c)
	switch bucket {
	case "day":
		return "strftime(" + d + ", '%Y-%m-%d')"
	case "week":
		return "strftime(date_trunc('week', " + d + "), '%Y-%m-%d')"
	case "month":
		return "strftime(" + d + ", '%Y-%m')"
	case "quarter":
		return "CAST(year(" + d + ") AS VARCHAR) || '-Q' || CAST(quarter(" + d + ") AS VARCHAR)"
	case "year":
		return "CAST(year(" + d + ") AS VARCHAR)"
	}
	return "strftime(" + d + ", '%m')" // month_of_year
}

func metricExpr(m Metric, d datasets.Dataset) string {
	col := func(f mapping.Field) string { return engine.QuoteIdent(d.Mapping[f]) }
	sum := func(f mapping.Field) string { return "SUM(CAST(" + col(f) + " AS DOUBLE))" }
	switch m.Op {
	case OpCount:
		return "CAST(COUNT(*) AS BIGINT)"
	case OpCountDistinct:
		return "CAST(COUNT(DISTINCT " + engine.QuoteIdent(m.Column) + ") AS BIGINT)"
	case OpPeople:
		return "CAST(COUNT(DISTINCT lower(trim(CAST(" + engine.QuoteIdent(personColumn(d)) + " AS VARCHAR)))) AS BIGINT)"
	case OpSum, OpAvg:
		return strings.ToUpper(m.Op) + "(CAST(" + engine.QuoteIdent(m.Column) + " AS DOUBLE))"
	case OpMin, OpMax:
		c, _ := column(d, m.Column)
		if isDate(c.Type) {
			return "CAST(" + strings.ToUpper(m.Op) + "(" + dateExpr(c) + ") AS VARCHAR)"
		}
		return strings.ToUpper(m.Op) + "(CAST(" + engine.QuoteIdent(m.Column) + " AS DOUBLE))"
	case OpRevenue:
		return sum(mapping.Revenue)
	case OpRefunds:
		return sum(mapping.Refund)
	case OpCost:
		return sum(mapping.Cost)
	case OpNetRevenue:
		return "COALESCE(" + sum(mapping.Revenue) + ", 0) - COALESCE(" + sum(mapping.Refund) + ", 0)"
	case OpAOV:
		return sum(mapping.Revenue) + " / NULLIF(" + ordersExpr(d) + ", 0)"
	case OpRefundRate:
		return sum(mapping.Refund) + " / NULLIF(" + sum(mapping.Revenue) + ", 0)"
	case OpROAS:
		return sum(mapping.Revenue) + " / NULLIF(" + sum(mapping.Cost) + ", 0)"
	}
	return "NULL" // unreachable: Validate rejects unknown ops
}

// ordersExpr counts orders: distinct order ids when mapped, else rows with revenue.
func ordersExpr(d datasets.Dataset) string {
	if c, ok := column(d, d.Mapping[mapping.OrderID]); ok {
		return "COUNT(DISTINCT " + engine.QuoteIdent(c.Name) + ")"
	}
	return "COUNT(" + engine.QuoteIdent(d.Mapping[mapping.Revenue]) + ")"
}

func filterExpr(c datasets.Column, f Filter) (string, []any) {
	id := engine.QuoteIdent(c.Name)
	switch f.Op {
	case "in", "not_in":
		args := make([]any, len(f.Values))
		marks := make([]string, len(f.Values))
		for i, v := range f.Values {
			args[i], marks[i] = v, "?"
		}
		not := map[bool]string{true: "NOT ", false: ""}[f.Op == "not_in"]
		return "CAST(" + id + " AS VARCHAR) " + not + "IN (" + strings.Join(marks, ", ") + ")", args
	}
	target, cast := "CAST("+id+" AS DOUBLE)", "CAST(? AS DOUBLE)"
	if isDate(c.Type) {
		target, cast = dateExpr(c), "CAST(? AS DATE)"
	}
	var args []any
	for _, v := range f.Values {
		a, _ := rangeArg(c, v) // validated before
		args = append(args, a)
	}
	if f.Op == "between" {
		return target + " BETWEEN " + cast + " AND " + cast, args
	}
	sym := map[string]string{"gte": ">=", "lte": "<=", "gt": ">", "lt": "<"}[f.Op]
	return target + " " + sym + " " + cast, args
}

func dateRange(d datasets.Dataset, from, to string) (string, []any) {
	c, _ := column(d, d.Mapping[mapping.Date])
	var conds []string
	var args []any
	if from != "" {
		conds, args = append(conds, dateExpr(c)+" >= CAST(? AS DATE)"), append(args, from)
	}
	if to != "" {
		conds, args = append(conds, dateExpr(c)+" <= CAST(? AS DATE)"), append(args, to)
	}
	return strings.Join(conds, " AND "), args
}

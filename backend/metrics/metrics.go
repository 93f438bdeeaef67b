// Package metrics computes the KPIs and chart series of the Buyers and
// Visitors dashboards in DuckDB, over all rows of a dataset, under a
// filters.Set. The UI only ever receives aggregates.
//
// A dashboard is at most three queries run concurrently on the workspace
// handle: one GROUPING SETS scan of the rows of the current and previous
// period for every total, KPI sum (new customers and their 90-day revenue
// included), category breakdown and time bucket (scan.go); when they show,
// the unique and repeat people (queries.go); and (buyers) the unique
// visitors or leads of the workspace for the conversion rate. Both lean on
// the dataset's hidden row indexes (package rowindex).
package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/rowindex"
)

// Query is what a dashboard is asked for.
type Query struct {
	Filters     filters.Set `json:"filters"`
	Granularity string      `json:"granularity"` // "day", "week", "month"; "" picks one from the period length
}

// KPI is one headline number. Value and Previous are float64, string or
// nil (not computable, e.g. an average over no rows). Percent values are
// fractions (0.25 = 25%); ChangePct is in percent (12.5 = +12.5%).
type KPI struct {
	ID         string   `json:"id"`
	Label      string   `json:"label"`
	Value      any      `json:"value"`
	Format     string   `json:"format"` // currency, number, percent, text
	Definition string   `json:"definition"`
	Previous   any      `json:"previous"`
	ChangePct  *float64 `json:"changePct"`
}

// Series is one named line/bar set of a chart, aligned with Chart.X.
type Series struct {
	Name string    `json:"name"`
	Y    []float64 `json:"y"`
}

// Chart is the data of one chart; the UI decides the drawing from Type.
type Chart struct {
	Title  string   `json:"title"`
	Type   string   `json:"type"` // timeseries, bar, pie, map
	X      []string `json:"x"`
	Series []Series `json:"series"`
	// Column is the dataset column whose filter a click on X[i] sets ("" = not clickable).
	Column string `json:"column,omitempty"`
	// Locations are 2-letter US state codes aligned with X (map charts).
	Locations []string `json:"locations,omitempty"`
	Format    string   `json:"format,omitempty"` // format of the first series' values
}

// Missing says which mapping would enable a hidden feature.
type Missing struct {
	Feature string `json:"feature"`
	Field   string `json:"field"`
	Note    string `json:"note"`
}

// Filterable is a column the filter bar offers.
type Filterable struct {
	Column string `json:"column"`
	Label  string `json:"label"`
	Field  string `json:"field,omitempty"` // canonical field, "" for other categorical columns
}

// DatasetInfo identifies the dataset a dashboard shows.
type DatasetInfo struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Rows int64  `json:"rows"`
}

// Period is the current date range and the previous one of equal length
// that changes are measured against ("" when there is no date column or no data).
type Period struct {
	From         string `json:"from"`
	To           string `json:"to"`
	PreviousFrom string `json:"previousFrom"`
	PreviousTo   string `json:"previousTo"`
}

// Dashboard is everything one dashboard shows.
type Dashboard struct {
	Dataset     DatasetInfo      `json:"dataset"`
	KPIs        []KPI            `json:"kpis"`
	Charts      map[string]Chart `json:"charts"`
	Missing     []Missing        `json:"missing"`
	Filterable  []Filterable     `json:"filterable"`
	RowsMatched int64            `json:"rowsMatched"`
	Period      Period           `json:"period"`
	Granularity string           `json:"granularity"`
}

// Source is a dataset and the workspace handle its table lives in.
type Source struct {
	DB      *sql.DB
	Dataset datasets.Dataset
}

// cols are the SQL expressions of the mapped fields of a dataset ("" when
// the field is not mapped or its column is missing).
type cols struct {
	date, revenue, refund, cost, orderID, channel, gender, ageRange, age, income, state, isNew string
	person                                                                                     string // person key expression (see personKey)
	channelCol, genderCol, ageRangeCol, incomeCol, stateCol                                    string
	// people is the dataset's people index (see package rowindex); set by
	// withPeople, zero when no person column is mapped.
	people rowindex.PeopleIndex
	// dims is the dataset's dimension key over dims(c); set by withIndexes.
	dims rowindex.DimsIndex
}

// The fields that identify a person, in order of preference: a buyer is a
// customer; a visitor or lead is a visitor (or an email, or a customer).
var (
	customerFields = []string{mapping.CustomerID, mapping.Email}
	visitorFields  = []string{mapping.VisitorID, mapping.Email, mapping.CustomerID}
)

// Prepare builds what the dashboard of d needs before its first recompute:
// the person index of its mapped person, date and revenue columns. Calling
// it after an import or a mapping change moves that one-time cost (a few
// seconds on ten million rows) out of the first dashboard.
func Prepare(ctx context.Context, db *sql.DB, d datasets.Dataset) error {
	fields := visitorFields
	if d.Kind == datasets.Buyers {
		fields = customerFields
	}
	c := resolve(d, fields...)
	return c.withIndexes(ctx, db, d)
}

func resolve(d datasets.Dataset, personFields ...string) cols {
	var c cols
	c.date, _ = filters.DateExpr(d)
	c.revenue = numeric(d, mapping.Revenue)
	c.refund = numeric(d, mapping.Refund)
	c.cost = numeric(d, mapping.Cost)
	// Orders are counted by a 64-bit hash of their id: distinct-counting
	// integers is several times faster than strings, and a collision among
	// even 100M ids has odds below 1e-3.
	if o := plain(d, mapping.OrderID); o != "" {
		c.orderID = "hash(" + o + ")"
	}
	for _, f := range personFields {
		if name := mappedColumn(d, f); name != "" {
			c.person = personKey(d, name)
			break
		}
	}
	c.channelCol = mappedColumn(d, mapping.Channel)
	if c.channelCol == "" {
		c.channelCol = mappedColumn(d, mapping.Source)
	}
	c.genderCol = mappedColumn(d, mapping.Gender)
	c.ageRangeCol = mappedColumn(d, mapping.AgeRange)
	c.incomeCol = mappedColumn(d, mapping.IncomeRange)
	c.stateCol = mappedColumn(d, mapping.State)
	c.channel = quoted(c.channelCol)
	if c.genderCol != "" {
		c.gender = filters.GenderExpr(engine.QuoteIdent(c.genderCol))
	}
	c.ageRange = quoted(c.ageRangeCol)
	c.age = numeric(d, mapping.Age)
	c.income = quoted(c.incomeCol)
	c.state = quoted(c.stateCol)
	c.isNew = newVisitorExpr(d)
	return c
}

// withPeople makes sure the dataset's table has the people index of its
// mapped person, date and revenue columns (built once, after import or a
// mapping change) and records it in c.
func (c *cols) withPeople(ctx context.Context, db *sql.DB, d datasets.Dataset) error {
	ix, err := rowindex.People(ctx, db, rowindex.PeopleSpec{Table: d.Table, Person: c.person, Date: c.date, Revenue: c.revenue,
		Order: plain(d, mapping.OrderID)})
	c.people = ix
	return err
}

// withIndexes makes sure the dataset's table has both indexes a dashboard
// uses, the people index and the dimension key of its charts.
func (c *cols) withIndexes(ctx context.Context, db *sql.DB, d datasets.Dataset) error {
	if err := c.withPeople(ctx, db, d); err != nil {
		return err
	}
	var keys []string
	for _, dm := range dims(*c) {
		keys = append(keys, dm.key)
	}
	ix, err := rowindex.Dims(ctx, db, rowindex.DimsSpec{Table: d.Table, Keys: keys})
	c.dims = ix
	return err
}

// personKey is the expression that identifies a person: text ids (emails
// above all) ignore case, so "Ann@x.com" and "ann@x.com" are one customer,
// as in the assistant's counts. The importer has already trimmed values and
// stored empty ones as NULL (trimming again would triple the index build).
func personKey(d datasets.Dataset, column string) string {
	q := engine.QuoteIdent(column)
	if col, _ := filters.Column(d, column); col.Type != "text" {
		return q
	}
	return "lower(" + q + ")"
}

func quoted(col string) string {
	if col == "" {
		return ""
	}
	return engine.QuoteIdent(col)
}

// mappedColumn is the column mapped to field, if it exists in the table.
func mappedColumn(d datasets.Dataset, field string) string {
	name := d.Mapping[field]
	if name == "" {
		return ""
	}
	if _, ok := filters.Column(d, name); !ok {
		return ""
	}
	return name
}

func plain(d datasets.Dataset, field string) string { return quoted(mappedColumn(d, field)) }

// numeric is the mapped column as a number: numeric columns as they are
// (their sums are HUGEINT or DECIMAL(38,s) in DuckDB, read back as DOUBLE,
// and not casting every row saves a tenth of a dashboard recompute), text
// columns cast to DOUBLE, stray values becoming NULL.
func numeric(d datasets.Dataset, field string) string {
	name := mappedColumn(d, field)
	if name == "" {
		return ""
	}
	c, _ := filters.Column(d, name)
	switch c.Type {
	case "integer", "decimal", "currency", "percent":
		return engine.QuoteIdent(name)
	}
	return "TRY_CAST(" + engine.QuoteIdent(name) + " AS DOUBLE)"
}

// newVisitorExpr is a BOOLEAN expression of the new-visitor flag; text
// flags such as "Yes"/"New" count as new.
func newVisitorExpr(d datasets.Dataset) string {
	name := mappedColumn(d, mapping.IsNewVisitor)
	if name == "" {
		return ""
	}
	c, _ := filters.Column(d, name)
	q := engine.QuoteIdent(name)
	if c.Type == "boolean" {
		return "COALESCE(" + q + ", FALSE)"
	}
	return "COALESCE(lower(trim(CAST(" + q + " AS VARCHAR))) IN ('yes','y','true','t','1','new','new visitor'), FALSE)"
}

// sqlb builds a statement and its positional arguments in writing order.
type sqlb struct {
	sb   strings.Builder
	args []any
}

func (b *sqlb) add(s string, args ...any) *sqlb {
	b.sb.WriteString(s)
	b.args = append(b.args, args...)
	return b
}

func (b *sqlb) String() string { return b.sb.String() }

// pred is a SQL boolean expression with its arguments.
type pred struct {
	sql  string
	args []any
}

// scope is the row selection of a dashboard: the value filters, the
// current period's date predicate and the previous period's.
type scope struct {
	table  string
	values pred // value filters (no dates)
	cur    pred // current period dates ("TRUE" when open)
	prev   pred // previous period dates ("FALSE" when there is none)
	span   pred // cur OR prev (see spanOf)
	period Period

	dateExpr       string // DATE expression of the mapped date column ("" = none)
	curFrom, curTo string // the user's range (may be open)
}

// from writes "FROM (SELECT <exprs>, cur AS cur_ FROM t WHERE values AND
// (cur OR prev) [AND extra]) x", the rows of both periods with a flag
// telling them apart.
func (s scope) from(b *sqlb, exprs string, extra ...string) {
	b.add("FROM (SELECT " + exprs + ", (")
	b.add(s.cur.sql, s.cur.args...)
	b.add(") AS cur_ FROM " + engine.QuoteIdent(s.table) + " WHERE ")
	b.add("("+s.values.sql+")", s.values.args...)
	b.add(" AND (")
	b.add(s.span.sql, s.span.args...)
	b.add(")")
	for _, e := range extra {
		b.add(" AND " + e)
	}
	b.add(") x")
}

// spanOf is the predicate of "in the current or the previous period". The
// previous period ends the day before the current one starts, so with a
// start date the two are one range, which DuckDB can push into the scan.
func spanOf(s scope) pred {
	if s.curFrom != "" && s.hasPrev() {
		return datePred(s.dateExpr, s.period.PreviousFrom, s.curTo, "TRUE")
	}
	return pred{"(" + s.cur.sql + ") OR (" + s.prev.sql + ")", append(append([]any{}, s.cur.args...), s.prev.args...)}
}

// newScope validates the filters and works out the current and previous
// periods. With an open date range the current period is the data's
// first to last date under the filters.
func newScope(ctx context.Context, db *sql.DB, d datasets.Dataset, f filters.Set) (scope, error) {
	s, err := periods(ctx, db, d, f)
	s.span = spanOf(s)
	return s, err
}

// periods is newScope without the span.
func periods(ctx context.Context, db *sql.DB, d datasets.Dataset, f filters.Set) (scope, error) {
	s := scope{table: d.Table, cur: pred{sql: "TRUE"}, prev: pred{sql: "FALSE"}}
	f = f.Canonical()
	if _, _, err := f.Where(d); err != nil { // validates columns, dates and the date mapping
		return s, err
	}
	valueSQL, valueArgs, _ := filters.Set{Values: f.Values}.Where(d)
	s.values = pred{valueSQL, valueArgs}
	s.dateExpr, _ = filters.DateExpr(d)
	if s.dateExpr == "" {
		return s, nil // no date column: no periods, no comparison
	}
	s.curFrom, s.curTo = f.DateFrom, f.DateTo
	s.cur = datePred(s.dateExpr, s.curFrom, s.curTo, "TRUE")
	from, to, _ := filters.ParseRange(f.DateFrom, f.DateTo)
	if from.IsZero() || to.IsZero() {
		lo, hi, err := bounds(ctx, db, d, s.dateExpr, f)
		if err != nil || lo.IsZero() {
			return s, err
		}
		if from.IsZero() {
			from = lo
		}
		if to.IsZero() {
			to = hi
		}
	}
	days := int(to.Sub(from).Hours()/24) + 1
	prevTo := from.AddDate(0, 0, -1)
	prevFrom := prevTo.AddDate(0, 0, -(days - 1))
	s.period = Period{From: day(from), To: day(to), PreviousFrom: day(prevFrom), PreviousTo: day(prevTo)}
	s.prev = datePred(s.dateExpr, s.period.PreviousFrom, s.period.PreviousTo, "FALSE")
	return s, nil
}

// hasPrev reports whether there is a previous period to compare with.
func (s scope) hasPrev() bool { return s.period.From != "" }

// curOn and prevOn are the period predicates applied to another DATE expression.
func (s scope) curOn(expr string) pred { return datePred(expr, s.curFrom, s.curTo, "TRUE") }
func (s scope) prevOn(expr string) pred {
	if !s.hasPrev() {
		return pred{sql: "FALSE"}
	}
	return datePred(expr, s.period.PreviousFrom, s.period.PreviousTo, "FALSE")
}

// datePred is "expr BETWEEN from AND to" with open ends; open is the SQL
// when both ends are open.
func datePred(expr, from, to, open string) pred {
	var parts []string
	var args []any
	if from != "" {
		parts = append(parts, expr+" >= CAST(? AS DATE)")
		args = append(args, from)
	}
	if to != "" {
		parts = append(parts, expr+" <= CAST(? AS DATE)")
		args = append(args, to)
	}
	if len(parts) == 0 {
		return pred{sql: open}
	}
	return pred{strings.Join(parts, " AND "), args}
}

func day(t time.Time) string { return t.Format(filters.DateLayout) }

// bounds is the first and last date of the rows matching f.
func bounds(ctx context.Context, db *sql.DB, d datasets.Dataset, dateExpr string, f filters.Set) (time.Time, time.Time, error) {
	where, args, err := f.Where(d)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	var lo, hi sql.NullTime
	err = db.QueryRowContext(ctx, "SELECT MIN("+dateExpr+"), MAX("+dateExpr+") FROM "+engine.QuoteIdent(d.Table)+" WHERE "+where, args...).Scan(&lo, &hi)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("date range of %s: %w", d.Name, err)
	}
	return lo.Time, hi.Time, nil
}

// granularity validates g or picks one that gives a readable number of points.
func granularity(g string, p Period) (string, error) {
	switch g {
	case "day", "week", "month":
		return g, nil
	case "":
	default:
		return "", fmt.Errorf("unknown granularity %q (use day, week or month)", g)
	}
	from, err1 := time.Parse(filters.DateLayout, p.From)
	to, err2 := time.Parse(filters.DateLayout, p.To)
	if err1 != nil || err2 != nil {
		return "day", nil
	}
	switch span := to.Sub(from).Hours() / 24; {
	case span > 366:
		return "month", nil
	case span > 62:
		return "week", nil
	}
	return "day", nil
}

// tasks runs queries concurrently and returns the first error.
type tasks struct {
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

func (t *tasks) Go(name string, fn func() error) {
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		if err := fn(); err != nil {
			t.mu.Lock()
			if t.err == nil {
				t.err = fmt.Errorf("%s: %w", name, err)
			}
			t.mu.Unlock()
		}
	}()
}

func (t *tasks) Wait() error {
	t.wg.Wait()
	return t.err
}

// ratio is a/b, or nil when b is zero.
func ratio(a, b float64) any {
	if b == 0 {
		return nil
	}
	return a / b
}

// change is the change from prev to cur in percent, nil when undefined.
func change(cur, prev any) *float64 {
	c, ok1 := cur.(float64)
	p, ok2 := prev.(float64)
	if !ok1 || !ok2 || p == 0 || math.IsNaN(c) || math.IsNaN(p) {
		return nil
	}
	v := (c - p) / math.Abs(p) * 100
	return &v
}

// kpi builds a KPI; previous is dropped when there is no previous period.
func kpi(id, label, format, definition string, cur, prev any, hasPrev bool) KPI {
	k := KPI{ID: id, Label: label, Value: cur, Format: format, Definition: definition}
	if hasPrev {
		k.Previous = prev
		k.ChangePct = change(cur, prev)
	}
	return k
}

func nf(v sql.NullFloat64) float64 { return v.Float64 }

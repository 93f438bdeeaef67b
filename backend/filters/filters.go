// Package filters turns the active filters of a dashboard (a date range and
// selected values per column) into a validated SQL WHERE expression with
// bound arguments. The same Set is saved in views and used by the AI
// assistant, so its validation is the single gate between user-chosen
// column names and SQL.
package filters

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/mapping"
)

// Set is the active filters of a dashboard (also saved in views and used by the AI assistant).
type Set struct {
	DateFrom string              `json:"dateFrom"` // YYYY-MM-DD inclusive; "" = open
	DateTo   string              `json:"dateTo"`   // YYYY-MM-DD inclusive; "" = open
	Values   map[string][]string `json:"values"`   // column name -> selected values (OR within a column, AND across columns)
}

// Blank is the value that selects rows where the column is NULL or empty.
const Blank = "(blank)"

// Limits keep a single filter from producing an unreasonable query.
const (
	MaxColumns         = 64
	MaxValuesPerColumn = 1000
)

// DateLayout is the layout of DateFrom and DateTo.
const DateLayout = "2006-01-02"

// Empty reports whether no filter is active.
func (s Set) Empty() bool { return s.Count() == 0 }

// Count returns the number of active filters: one per column with selected
// values, plus one for a date range (either end set).
func (s Set) Count() int {
	n := 0
	if s.DateFrom != "" || s.DateTo != "" {
		n++
	}
	for _, vs := range s.Values {
		if len(vs) > 0 {
			n++
		}
	}
	return n
}

// Canonical returns s without empty columns and with each column's values
// sorted and de-duplicated, so equal filter sets compare equal.
func (s Set) Canonical() Set {
	out := Set{DateFrom: s.DateFrom, DateTo: s.DateTo, Values: map[string][]string{}}
	for col, vs := range s.Values {
		if len(vs) == 0 {
			continue
		}
		seen := map[string]bool{}
		var uniq []string
		for _, v := range vs {
			if !seen[v] {
				seen[v] = true
				uniq = append(uniq, v)
			}
		}
		sort.Strings(uniq)
		out.Values[col] = uniq
	}
	return out
}

// Key is a stable text form of the canonical set (for "did the filters change?").
func (s Set) Key() string {
	b, _ := json.Marshal(s.Canonical())
	return string(b)
}

// WithDates returns a copy of s with another date range (same value filters).
func (s Set) WithDates(from, to string) Set {
	c := s.Canonical()
	c.DateFrom, c.DateTo = from, to
	return c
}

// Without returns a copy of s without the filter on column (used to count a
// column's options under the *other* active filters).
func (s Set) Without(column string) Set {
	c := s.Canonical()
	delete(c.Values, column)
	return c
}

// Where validates s against the dataset (columns must exist; date range
// needs a mapped date column) and returns a SQL boolean expression ("TRUE"
// when empty) and its bound args.
func (s Set) Where(d datasets.Dataset) (string, []any, error) {
	s = s.Canonical()
	if len(s.Values) > MaxColumns {
		return "", nil, fmt.Errorf("too many filtered columns (%d, at most %d)", len(s.Values), MaxColumns)
	}
	var parts []string
	var args []any
	dateSQL, dateArgs, err := s.dateWhere(d)
	if err != nil {
		return "", nil, err
	}
	if dateSQL != "" {
		parts = append(parts, dateSQL)
		args = append(args, dateArgs...)
	}
	cols := make([]string, 0, len(s.Values))
	for col := range s.Values {
		cols = append(cols, col)
	}
	sort.Strings(cols)
	for _, col := range cols {
		c, ok := column(d, col)
		if !ok {
			return "", nil, fmt.Errorf("filter on column %q: %s has no such column", col, d.Name)
		}
		if len(s.Values[col]) > MaxValuesPerColumn {
			return "", nil, fmt.Errorf("filter on %q selects %d values (at most %d)", col, len(s.Values[col]), MaxValuesPerColumn)
		}
		sqlPart, vArgs := valuesWhere(d, c, s.Values[col])
		parts = append(parts, sqlPart)
		args = append(args, vArgs...)
	}
	if len(parts) == 0 {
		return "TRUE", nil, nil
	}
	return strings.Join(parts, " AND "), args, nil
}

// dateWhere is the date-range part of the WHERE ("" when no range is set).
func (s Set) dateWhere(d datasets.Dataset) (string, []any, error) {
	if s.DateFrom == "" && s.DateTo == "" {
		return "", nil, nil
	}
	from, to, err := ParseRange(s.DateFrom, s.DateTo)
	if err != nil {
		return "", nil, err
	}
	expr, err := DateExpr(d)
	if err != nil {
		return "", nil, fmt.Errorf("date range filter: %w", err)
	}
	var parts []string
	var args []any
	if !from.IsZero() {
		parts = append(parts, expr+" >= CAST(? AS DATE)")
		args = append(args, from.Format(DateLayout))
	}
	if !to.IsZero() {
		parts = append(parts, expr+" <= CAST(? AS DATE)")
		args = append(args, to.Format(DateLayout))
	}
	return strings.Join(parts, " AND "), args, nil
}

// ParseRange parses and checks a date range; a zero time means an open end.
func ParseRange(from, to string) (time.Time, time.Time, error) {
	var f, t time.Time
	var err error
	if from != "" {
		if f, err = time.Parse(DateLayout, from); err != nil {
			return f, t, fmt.Errorf("start date %q is not a date (use YYYY-MM-DD)", from)
		}
	}
	if to != "" {
		if t, err = time.Parse(DateLayout, to); err != nil {
			return f, t, fmt.Errorf("end date %q is not a date (use YYYY-MM-DD)", to)
		}
	}
	if from != "" && to != "" && t.Before(f) {
		return f, t, fmt.Errorf("the date range ends (%s) before it starts (%s)", to, from)
	}
	return f, t, nil
}

// DateExpr is the SQL expression of the dataset's mapped date column as a
// DATE. It fails when no date column is mapped or it is not in the table.
func DateExpr(d datasets.Dataset) (string, error) {
	name := d.Mapping[mapping.Date]
	if name == "" {
		return "", fmt.Errorf("%s has no Date column mapped (map one on the Data page)", d.Name)
	}
	c, ok := column(d, name)
	if !ok {
		return "", fmt.Errorf("the mapped Date column %q is not in %s", name, d.Name)
	}
	q := engine.QuoteIdent(c.Name)
	switch c.Type {
	case "date":
		return q, nil
	case "datetime":
		return "CAST(" + q + " AS DATE)", nil
	default:
		return "TRY_CAST(" + q + " AS DATE)", nil
	}
}

// GenderExpr normalizes a gender column to Male / Female / Other (NULL and
// empty become NULL), since files spell it "M", "male", "Female", ...
func GenderExpr(quotedCol string) string {
	return "CASE WHEN " + quotedCol + " IS NULL OR trim(CAST(" + quotedCol + " AS VARCHAR)) = '' THEN NULL" +
		" WHEN lower(trim(CAST(" + quotedCol + " AS VARCHAR))) IN ('m','male','man') THEN 'Male'" +
		" WHEN lower(trim(CAST(" + quotedCol + " AS VARCHAR))) IN ('f','female','woman') THEN 'Female'" +
		" ELSE 'Other' END"
}

// ValueExpr is the SQL expression whose text values the filter on column c
// compares against, and which FilterOptions lists: the normalized gender
// for the mapped gender column, the text itself for text columns, and the
// value cast to text otherwise (booleans become "true"/"false").
func ValueExpr(d datasets.Dataset, c datasets.Column) string {
	q := engine.QuoteIdent(c.Name)
	if d.Mapping[mapping.Gender] == c.Name {
		return GenderExpr(q)
	}
	if c.Type == "text" {
		return q
	}
	return "CAST(" + q + " AS VARCHAR)"
}

// valuesWhere is "col = ?" or "list_contains([?, ...], col)" plus a
// NULL/empty test for Blank.
func valuesWhere(d datasets.Dataset, c datasets.Column, values []string) (string, []any) {
	expr := ValueExpr(d, c)
	var args []any
	blank := false
	for _, v := range values {
		if v == Blank {
			blank = true
			continue
		}
		args = append(args, v)
	}
	var ors []string
	switch {
	case len(args) == 1:
		ors = append(ors, expr+" = ?")
	case len(args) > 1:
		// list_contains over a list of bound values is 2-3x faster in DuckDB
		// than IN (...), which it plans as a join on large tables.
		list := strings.TrimSuffix(strings.Repeat("CAST(? AS VARCHAR), ", len(args)), ", ")
		ors = append(ors, "list_contains(["+list+"], "+expr+")")
	}
	if blank {
		ors = append(ors, "("+expr+" IS NULL OR trim("+expr+") = '')")
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// column finds a dataset column by its (normalized) name.
func column(d datasets.Dataset, name string) (datasets.Column, bool) {
	for _, c := range d.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return datasets.Column{}, false
}

// Column finds a dataset column by name (exported for metrics and options).
func Column(d datasets.Dataset, name string) (datasets.Column, bool) { return column(d, name) }

package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/mapping"
)

// filterFields are the canonical fields offered as filters, in bar order.
var filterFields = []string{
	mapping.Channel, mapping.Source, mapping.Campaign, mapping.Gender, mapping.AgeRange, mapping.IncomeRange,
	mapping.NetWorth, mapping.CreditRating, mapping.Homeowner, mapping.MaritalStatus, mapping.Children, mapping.State,
}

// MaxCategoricalDistinct is how many distinct values a text column may have
// (per its profile) to be offered as a filter without being mapped.
const MaxCategoricalDistinct = 60

// identityFields are never offered as filters: they identify people or rows.
var identityFields = map[string]bool{
	mapping.CustomerID: true, mapping.Email: true, mapping.VisitorID: true, mapping.OrderID: true,
	mapping.Date: true, mapping.City: true, mapping.Zip: true,
}

// Filterables lists the columns the filter bar offers: the mapped
// filter fields first, then other text/boolean columns with few values.
func Filterables(d datasets.Dataset) []Filterable {
	out := []Filterable{}
	used := map[string]bool{}
	for f, col := range d.Mapping {
		if identityFields[f] {
			used[col] = true
		}
	}
	for _, f := range filterFields {
		col := mappedColumn(d, f)
		if col == "" || used[col] {
			continue
		}
		used[col] = true
		out = append(out, Filterable{Column: col, Label: fieldLabel(f), Field: f})
	}
	fieldOf := map[string]string{}
	for f, col := range d.Mapping {
		fieldOf[col] = f
	}
	for _, c := range d.Columns {
		if used[c.Name] || (c.Type != "text" && c.Type != "boolean") {
			continue
		}
		if c.Type == "text" && (c.Distinct > MaxCategoricalDistinct || c.Distinct == 0) {
			continue
		}
		label := c.Original
		if f := fieldOf[c.Name]; f != "" {
			label = fieldLabel(f) // e.g. "New visitor flag" for is_new_visitor
		} else if label == "" || label == c.Name {
			label = humanize(c.Name) // "landing_page" -> "Landing page"
		}
		out = append(out, Filterable{Column: c.Name, Label: label, Field: fieldOf[c.Name]})
	}
	return out
}

func fieldLabel(f string) string {
	for _, fi := range mapping.Fields {
		if fi.Field == f {
			return fi.Label
		}
	}
	return f
}

// MaxOptions caps the values returned for one filter.
const MaxOptions = 200

// Options lists the values of column with their row counts under the other
// active filters (the column's own selection is ignored so the user can
// add more values), most frequent first, optionally narrowed by a
// case-insensitive search. NULL and empty values are listed as filters.Blank.
func Options(ctx context.Context, db *sql.DB, d datasets.Dataset, column, search string, active filters.Set, limit int) ([]datasets.ValueCount, error) {
	col, ok := filters.Column(d, column)
	if !ok {
		return nil, fmt.Errorf("%s has no column %q", d.Name, column)
	}
	if limit <= 0 || limit > MaxOptions {
		limit = MaxOptions
	}
	where, args, err := active.Without(column).Where(d)
	if err != nil {
		return nil, err
	}
	expr := filters.ValueExpr(d, col)
	var b sqlb
	b.add("SELECT v, COUNT(*) AS n FROM (SELECT COALESCE(NULLIF(trim(" + expr + "), ''), ?) AS v FROM " + engine.QuoteIdent(d.Table))
	b.args = append(b.args, filters.Blank)
	b.add(" WHERE "+where+")", args...)
	if s := strings.TrimSpace(search); s != "" {
		b.add(" WHERE contains(lower(v), lower(?))", s)
	}
	b.add(" GROUP BY v ORDER BY n DESC, v LIMIT ?", limit)
	rows, err := db.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return nil, fmt.Errorf("values of %s: %w", column, err)
	}
	defer rows.Close()
	out := []datasets.ValueCount{}
	for rows.Next() {
		var vc datasets.ValueCount
		if err := rows.Scan(&vc.Value, &vc.Count); err != nil {
			return nil, err
		}
		out = append(out, vc)
	}
	return out, rows.Err()
}

// humanize turns a snake_case column name into a label.
func humanize(name string) string {
	s := strings.TrimSpace(strings.ReplaceAll(name, "_", " "))
	if s == "" {
		return name
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

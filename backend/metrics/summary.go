package metrics

import (
	"sort"
	"strings"

	"leadnavigator/backend/filters"
)

// SummaryHeader is the header of a dashboard summary export.
var SummaryHeader = []string{"Section", "Item", "Series", "Value", "Previous", "Change %", "Notes"}

// SummaryRows lays a dashboard out as a table for export: the filters in
// effect, every KPI with its previous value and change, then every chart
// point. Values stay numbers so spreadsheets can chart them again.
func SummaryRows(title string, d Dashboard, f filters.Set) [][]any {
	rows := [][]any{
		{"Dashboard", title, nil, d.Dataset.Name, nil, nil, nil},
		{"Dashboard", "Rows matched", nil, d.RowsMatched, nil, nil, nil},
	}
	if d.Period.From != "" {
		rows = append(rows, []any{"Dashboard", "Period", nil, d.Period.From + " to " + d.Period.To,
			d.Period.PreviousFrom + " to " + d.Period.PreviousTo, nil, "Previous period of equal length"})
	}
	f = f.Canonical()
	if f.DateFrom != "" || f.DateTo != "" {
		rows = append(rows, []any{"Filter", "Date range", nil, orOpen(f.DateFrom) + " to " + orOpen(f.DateTo), nil, nil, nil})
	}
	cols := make([]string, 0, len(f.Values))
	for c := range f.Values {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	for _, c := range cols {
		rows = append(rows, []any{"Filter", c, nil, strings.Join(f.Values[c], ", "), nil, nil, nil})
	}
	for _, k := range d.KPIs {
		var chg any
		if k.ChangePct != nil {
			chg = *k.ChangePct
		}
		rows = append(rows, []any{"KPI", k.Label, nil, k.Value, k.Previous, chg, k.Definition})
	}
	ids := make([]string, 0, len(d.Charts))
	for id := range d.Charts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		ch := d.Charts[id]
		for _, s := range ch.Series {
			for i, x := range ch.X {
				if i < len(s.Y) {
					rows = append(rows, []any{"Chart: " + ch.Title, x, s.Name, s.Y[i], nil, nil, nil})
				}
			}
		}
	}
	return rows
}

func orOpen(d string) string {
	if d == "" {
		return "open"
	}
	return d
}

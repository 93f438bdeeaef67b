package api

import (
	"path/filepath"

	"leadnavigator/backend/filters"
	"leadnavigator/backend/views"
)

// view returns the id of a saved view in workspace ws, created directly.
func (f *fixture) view(ws int64) int64 {
	f.t.Helper()
	v := views.View{WorkspaceID: ws, Name: "Matrix view", Dashboard: views.Buyers}
	must(f.t, f.api.dashboards.views.Save(&v))
	return v.ID
}

var textFilters = filters.Set{DateFrom: "2026-01-01", Values: map[string][]string{"channel": {"Email"}}}

var _ = cases(
	matrixCase{method: "BuyersDashboard", need: canView, args: withDataset(DashboardQuery{Filters: textFilters})},
	matrixCase{method: "VisitorsDashboard", need: canView, args: withDataset(DashboardQuery{Granularity: "week"})},
	matrixCase{method: "FilterOptions", need: canView, args: withDataset("channel", "", filters.Set{})},
	matrixCase{method: "SaveView", need: canAnalyze, args: func(*fixture, int64) []any {
		return []any{views.View{Name: "Email buyers", Dashboard: views.Buyers, Filters: textFilters}}
	}},
	matrixCase{method: "ListViews", need: canView, args: func(*fixture, int64) []any { return []any{""} }},
	matrixCase{method: "DeleteView", need: canAnalyze, args: func(f *fixture, ws int64) []any { return []any{f.view(ws)} }},
	matrixCase{method: "ExportRows", need: canAnalyze, args: func(f *fixture, ws int64) []any {
		return []any{f.dataset(ws), textFilters, filepath.Join(f.dir, "rows.csv")}
	}},
	matrixCase{method: "ExportSummary", need: canAnalyze, args: func(f *fixture, ws int64) []any {
		return []any{f.dataset(ws), "buyers", DashboardQuery{}, filepath.Join(f.dir, "summary.xlsx")}
	}},
)

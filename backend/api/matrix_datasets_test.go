package api

import (
	"os"
	"path/filepath"

	"leadnavigator/backend/mapping"
)

// tinyCSV writes a small buyers file into the fixture's directory.
func (f *fixture) tinyCSV(name string) string {
	f.t.Helper()
	path := filepath.Join(f.dir, name)
	must(f.t, os.WriteFile(path, []byte("order_date,email,amount\n2026-01-05,a@example.com,12.50\n2026-01-06,b@example.com,8\n"), 0o600))
	return path
}

func withDataset(extra ...any) func(f *fixture, ws int64) []any {
	return func(f *fixture, ws int64) []any { return append([]any{f.dataset(ws)}, extra...) }
}

var _ = cases(
	matrixCase{method: "ImportFile", need: canAnalyze, args: func(f *fixture, ws int64) []any {
		return []any{f.tinyCSV("tiny.csv"), ""}
	}},
	matrixCase{method: "CancelImport", need: loggedIn, args: func(*fixture, int64) []any { return []any{"no-such-job"} }},
	matrixCase{method: "ListDatasets", need: canView, args: noArgs},
	matrixCase{method: "GetDataset", need: canView, args: withDataset()},
	matrixCase{method: "PreviewDataset", need: canView, args: withDataset(10)},
	matrixCase{method: "DeleteDataset", need: canAnalyze, args: withDataset()},
	matrixCase{method: "SetDatasetKind", need: canAnalyze, args: withDataset("leads")},
	matrixCase{method: "GetMapping", need: canView, args: withDataset()},
	matrixCase{method: "SaveMapping", need: canAnalyze, args: withDataset(mapping.Mapping{mapping.Revenue: "revenue"})},
)

// Small samples keep the matrix fast; TestLoadSampleData checks the real size.
var _ = cases(matrixCase{method: "LoadSampleData", need: canAnalyze, args: func(f *fixture, _ int64) []any {
	f.api.sampleRows = 300
	return nil
}})

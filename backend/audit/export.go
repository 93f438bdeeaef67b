package audit

// ExportHeader is the header row of an audit export.
var ExportHeader = []string{"id", "timestamp_utc", "user_id", "user_email", "workspace_id", "action", "details"}

// ExportRows turns entries into export rows in ExportHeader's order. The
// writer (package export) neutralizes formula-like text.
func ExportRows(rows []Row) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = []any{r.ID, r.TS, r.UserID, r.UserEmail, r.WorkspaceID, r.Action, string(r.Details)}
	}
	return out
}

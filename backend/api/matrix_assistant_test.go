package api

import "leadnavigator/backend/filters"

var _ = cases(
	matrixCase{method: "Ask", need: canAnalyze, args: func(f *fixture, ws int64) []any {
		return []any{f.dataset(ws), "Revenue by state", filters.Set{Values: map[string][]string{"channel": {"Email"}}}}
	}},
	matrixCase{method: "ChatHistory", need: canView, args: noArgs},
	matrixCase{method: "ClearChat", need: canAnalyze, args: noArgs},
	matrixCase{method: "SetGeminiKey", need: loggedIn, args: func(*fixture, int64) []any {
		return []any{"AIzaSyMatrix-0123456789abcdef"}
	}},
	matrixCase{method: "ClearGeminiKey", need: loggedIn, args: noArgs},
	matrixCase{method: "AssistantStatus", need: loggedIn, args: noArgs},
)

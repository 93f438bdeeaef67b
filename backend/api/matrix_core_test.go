package api

var _ = cases(
	matrixCase{method: "Register", need: public, args: func(f *fixture, ws int64) []any {
		return []any{"new-user@example.com", "long enough pw", "New"}
	}},
	matrixCase{method: "Login", need: public, args: func(f *fixture, ws int64) []any {
		return []any{"owner@example.com", "correct horse"}
	}},
	matrixCase{method: "RestoreSession", need: public, args: noArgs},
	matrixCase{method: "Logout", need: loggedIn, args: noArgs},
	matrixCase{method: "Me", need: loggedIn, args: noArgs},
	matrixCase{method: "RememberSession", need: loggedIn, args: noArgs},
	matrixCase{method: "ForgetSession", need: loggedIn, args: noArgs},
	matrixCase{method: "ListWorkspaces", need: loggedIn, args: noArgs},
	matrixCase{method: "CreateWorkspace", need: loggedIn, args: func(*fixture, int64) []any { return []any{"Another"} }},
	matrixCase{method: "RenameWorkspace", need: canManage, args: func(*fixture, int64) []any { return []any{"Renamed"} }},
	matrixCase{method: "DeleteWorkspace", need: canManage, args: noArgs},
	matrixCase{method: "ListMembers", need: canView, args: noArgs},
)

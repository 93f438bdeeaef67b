package api

import (
	"leadnavigator/backend/audit"
	"leadnavigator/backend/settings"
)

// Matrix cases of the account, invitation, audit and settings methods.
// Arguments are chosen so that an allowed call fails (if at all) with a
// non-authorization error: unknown ids, missing SMTP configuration.
var _ = cases(
	matrixCase{method: "RequestMagicLink", need: public, args: func(*fixture, int64) []any { return []any{"owner@example.com"} }},
	matrixCase{method: "LoginWithMagicLink", need: public, args: func(*fixture, int64) []any { return []any{"not-a-real-token"} }},
	matrixCase{method: "SetMemberRole", need: canManage, args: func(f *fixture, _ int64) []any {
		return []any{f.userIDs[asViewer], "analyst"}
	}},
	matrixCase{method: "RemoveMember", need: canManage, args: func(f *fixture, _ int64) []any { return []any{f.userIDs[asViewer]} }},
	matrixCase{method: "InviteMember", need: canManage, args: func(*fixture, int64) []any { return []any{"invitee@example.com", "viewer"} }},
	matrixCase{method: "ListInvitations", need: canManage, args: noArgs},
	matrixCase{method: "RevokeInvitation", need: canManage, args: func(*fixture, int64) []any { return []any{int64(999)} }},
	matrixCase{method: "MyInvitations", need: loggedIn, args: noArgs},
	matrixCase{method: "AcceptInvitation", need: loggedIn, args: func(*fixture, int64) []any { return []any{int64(999)} }},
	matrixCase{method: "RejectInvitation", need: loggedIn, args: func(*fixture, int64) []any { return []any{int64(999)} }},
	matrixCase{method: "AcceptInvitationToken", need: loggedIn, args: func(*fixture, int64) []any { return []any{"no-such-code"} }},
	matrixCase{method: "ListAudit", need: canManage, args: func(*fixture, int64) []any { return []any{audit.Filter{}} }},
	matrixCase{method: "VerifyAudit", need: canManage, args: noArgs},
	matrixCase{method: "ExportAudit", need: canManage, args: func(*fixture, int64) []any { return []any{audit.Filter{}, "csv", ""} }},
	matrixCase{method: "GetSettings", need: loggedIn, args: noArgs},
	matrixCase{method: "SaveSettings", need: loggedIn, args: func(*fixture, int64) []any {
		return []any{settings.Settings{IdleTimeoutMinutes: 0}, ""}
	}},
)

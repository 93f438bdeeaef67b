package api

import (
	"fmt"
	"path/filepath"
	"strings"

	"leadnavigator/backend/audit"
	"leadnavigator/backend/export"
	"leadnavigator/backend/workspace"
)

// ListAudit returns a workspace's audit entries, newest first (Owner).
func (a *API) ListAudit(token string, workspaceID int64, f audit.Filter) ([]audit.Row, error) {
	if _, _, err := a.member(token, workspaceID, workspace.Manage); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	return a.audit.List(workspaceID, f)
}

// VerifyAudit recomputes the audit hash chain and reports the first row
// that does not match (Owner).
func (a *API) VerifyAudit(token string, workspaceID int64) (audit.Verification, error) {
	if _, _, err := a.member(token, workspaceID, workspace.Manage); err != nil {
		return audit.Verification{}, err
	}
	return a.audit.Verify()
}

// ExportAudit writes the filtered entries as "csv" or "xlsx" (Owner).
// path "" means the server decides (serve mode): the file goes to
// <data-dir>/exports and its name is returned for /exports/<name>;
// otherwise path is the file picked in the desktop save dialog.
func (a *API) ExportAudit(token string, workspaceID int64, f audit.Filter, format, path string) (string, error) {
	id, _, err := a.member(token, workspaceID, workspace.Manage)
	if err != nil {
		return "", err
	}
	format = strings.ToLower(format)
	if format != "csv" && format != "xlsx" {
		return "", fmt.Errorf("export format %q: use csv or xlsx", format)
	}
	if path == "" {
		path = fmt.Sprintf("audit-ws%d.%s", workspaceID, format)
	} else if !strings.EqualFold(filepath.Ext(path), "."+format) {
		return "", fmt.Errorf("export file %q must end in .%s", filepath.Base(path), format)
	}
	target, err := a.exportTarget(path, "audit")
	if err != nil {
		return "", err
	}
	f.Limit = 0 // the whole filtered trail, not one screen of it
	rows, err := a.audit.List(workspaceID, f)
	if err != nil {
		return "", err
	}
	if err := export.Write(target.Path, audit.ExportHeader, export.Slice(audit.ExportRows(rows))); err != nil {
		return "", err
	}
	a.record(id, workspaceID, "export", map[string]any{"what": "audit", "format": format, "rows": len(rows), "file": target.Name})
	if filepath.IsAbs(path) {
		return target.Path, nil
	}
	return target.Name, nil
}

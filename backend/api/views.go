package api

import (
	"leadnavigator/backend/views"
	"leadnavigator/backend/workspace"
)

// SaveView saves the named view of a dashboard in the workspace (Analyst);
// saving an existing name on the same dashboard replaces it.
func (a *API) SaveView(token string, workspaceID int64, v views.View) (views.View, error) {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return views.View{}, err
	}
	v.ID, v.WorkspaceID, v.CreatedBy = 0, workspaceID, caller.ID
	if err := a.dashboards.views.Save(&v); err != nil {
		return views.View{}, err
	}
	a.record(caller, workspaceID, "view.save", map[string]any{"viewId": v.ID, "name": v.Name, "dashboard": v.Dashboard, "filters": v.Filters})
	return v, nil
}

// ListViews lists the workspace's saved views of a dashboard ("" = all).
func (a *API) ListViews(token string, workspaceID int64, dashboard string) ([]views.View, error) {
	if _, _, err := a.member(token, workspaceID, workspace.View); err != nil {
		return nil, err
	}
	return a.dashboards.views.List(workspaceID, dashboard)
}

// DeleteView deletes a saved view (Analyst).
func (a *API) DeleteView(token string, workspaceID, viewID int64) error {
	caller, _, err := a.member(token, workspaceID, workspace.Analyze)
	if err != nil {
		return err
	}
	if err := a.dashboards.views.Delete(workspaceID, viewID); err != nil {
		return err
	}
	a.record(caller, workspaceID, "view.delete", map[string]any{"viewId": viewID})
	return nil
}

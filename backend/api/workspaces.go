package api

import (
	"leadnavigator/backend/workspace"
)

// ListWorkspaces lists the caller's workspaces with their role in each.
func (a *API) ListWorkspaces(token string) ([]workspace.Workspace, error) {
	id, err := a.caller(token)
	if err != nil {
		return nil, err
	}
	return a.workspaces.List(id.ID)
}

// CreateWorkspace creates a workspace owned by the caller.
func (a *API) CreateWorkspace(token, name string) (workspace.Workspace, error) {
	id, err := a.caller(token)
	if err != nil {
		return workspace.Workspace{}, err
	}
	return a.workspaces.Create(id.ID, name)
}

// RenameWorkspace renames a workspace (Owner).
func (a *API) RenameWorkspace(token string, workspaceID int64, name string) error {
	if _, _, err := a.member(token, workspaceID, workspace.Manage); err != nil {
		return err
	}
	return a.workspaces.Rename(workspaceID, name)
}

// DeleteWorkspace deletes a workspace and all of its data (Owner).
func (a *API) DeleteWorkspace(token string, workspaceID int64) error {
	if _, _, err := a.member(token, workspaceID, workspace.Manage); err != nil {
		return err
	}
	if err := a.workspaces.Delete(workspaceID); err != nil {
		return err
	}
	return a.engine.DropWorkspace(workspaceID)
}

// ListMembers lists a workspace's members (any member).
func (a *API) ListMembers(token string, workspaceID int64) ([]workspace.Member, error) {
	if _, _, err := a.member(token, workspaceID, workspace.View); err != nil {
		return nil, err
	}
	return a.workspaces.Members(workspaceID)
}

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
	w, err := a.workspaces.Create(id.ID, name)
	if err != nil {
		return w, err
	}
	a.record(id, w.ID, "workspace.create", map[string]any{"name": w.Name})
	return w, nil
}

// RenameWorkspace renames a workspace (Owner).
func (a *API) RenameWorkspace(token string, workspaceID int64, name string) error {
	id, _, err := a.member(token, workspaceID, workspace.Manage)
	if err != nil {
		return err
	}
	before, _ := a.workspaces.Get(id.ID, workspaceID)
	if err := a.workspaces.Rename(workspaceID, name); err != nil {
		return err
	}
	after, _ := a.workspaces.Get(id.ID, workspaceID)
	a.record(id, workspaceID, "workspace.rename", map[string]any{"from": before.Name, "to": after.Name})
	return nil
}

// DeleteWorkspace deletes a workspace and all of its data (Owner). Its
// audit rows stay: the trail outlives what it describes.
func (a *API) DeleteWorkspace(token string, workspaceID int64) error {
	id, _, err := a.member(token, workspaceID, workspace.Manage)
	if err != nil {
		return err
	}
	w, _ := a.workspaces.Get(id.ID, workspaceID)
	if err := a.workspaces.Delete(workspaceID); err != nil {
		return err
	}
	a.record(id, workspaceID, "workspace.delete", map[string]any{"name": w.Name})
	// The retrieval index holds the workspace's column values: drop it with the rows.
	a.assistant.Index.DropWorkspace(workspaceID)
	return a.engine.DropWorkspace(workspaceID)
}

// ListMembers lists a workspace's members (any member).
func (a *API) ListMembers(token string, workspaceID int64) ([]workspace.Member, error) {
	if _, _, err := a.member(token, workspaceID, workspace.View); err != nil {
		return nil, err
	}
	return a.workspaces.Members(workspaceID)
}

// SetMemberRole changes a member's role (Owner; the last Owner stays Owner).
func (a *API) SetMemberRole(token string, workspaceID, userID int64, role string) error {
	id, _, err := a.member(token, workspaceID, workspace.Manage)
	if err != nil {
		return err
	}
	before, _ := a.workspaces.RoleOf(userID, workspaceID)
	if err := a.workspaces.SetRole(workspaceID, userID, workspace.Role(role)); err != nil {
		return err
	}
	a.record(id, workspaceID, "member.role_changed", map[string]any{"userId": userID, "from": before, "to": role})
	return nil
}

// RemoveMember removes a member (Owner; not the last Owner).
func (a *API) RemoveMember(token string, workspaceID, userID int64) error {
	id, _, err := a.member(token, workspaceID, workspace.Manage)
	if err != nil {
		return err
	}
	role, _ := a.workspaces.RoleOf(userID, workspaceID)
	if err := a.workspaces.RemoveMember(workspaceID, userID); err != nil {
		return err
	}
	a.record(id, workspaceID, "member.removed", map[string]any{"userId": userID, "role": role})
	return nil
}

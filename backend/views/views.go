// Package views stores named dashboard views per workspace in SQLite: the
// dashboard, its filters (values and date range) and the chart granularity,
// so an analyst can come back to "Q1 Texas email buyers" in one click.
package views

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"leadnavigator/backend/filters"
	"leadnavigator/backend/store"
)

// Dashboards that views can belong to.
const (
	Buyers   = "buyers"
	Visitors = "visitors"
)

// View is one saved view.
type View struct {
	ID          int64       `json:"id"`
	WorkspaceID int64       `json:"workspaceId"`
	Name        string      `json:"name"`
	Dashboard   string      `json:"dashboard"`
	Filters     filters.Set `json:"filters"`
	Granularity string      `json:"granularity"`
	CreatedBy   int64       `json:"createdBy"`
	UpdatedAt   string      `json:"updatedAt"`
}

// ErrNotFound is returned for a view id that is not in the workspace.
var ErrNotFound = errors.New("saved view not found in this workspace")

// MaxNameLength bounds a view's name.
const MaxNameLength = 80

var migrations = []string{
	`CREATE TABLE saved_views (
		id INTEGER PRIMARY KEY,
		workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
		name TEXT NOT NULL,
		dashboard TEXT NOT NULL,
		filters_json TEXT NOT NULL,
		granularity TEXT NOT NULL DEFAULT '',
		created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
		updated_at TEXT NOT NULL,
		UNIQUE (workspace_id, dashboard, name)
	);`,
}

// Service stores saved views.
type Service struct{ db *sql.DB }

// New migrates the saved_views table (workspace tables must exist first).
func New(db *sql.DB) (*Service, error) {
	if err := store.Migrate(db, "views", migrations); err != nil {
		return nil, err
	}
	return &Service{db: db}, nil
}

// validate cleans v's name and checks its dashboard and granularity.
func validate(v *View) error {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" {
		return errors.New("give the view a name")
	}
	if utf8.RuneCountInString(v.Name) > MaxNameLength {
		return fmt.Errorf("view names are at most %d characters", MaxNameLength)
	}
	if v.Dashboard != Buyers && v.Dashboard != Visitors {
		return fmt.Errorf("unknown dashboard %q (use buyers or visitors)", v.Dashboard)
	}
	switch v.Granularity {
	case "", "day", "week", "month":
	default:
		return fmt.Errorf("unknown granularity %q (use day, week or month)", v.Granularity)
	}
	if _, _, err := filters.ParseRange(v.Filters.DateFrom, v.Filters.DateTo); err != nil {
		return err
	}
	v.Filters = v.Filters.Canonical()
	return nil
}

// Save stores v; a view with the same name on the same dashboard of the
// workspace is replaced (saving again updates it). It sets v.ID.
func (s *Service) Save(v *View) error {
	if err := validate(v); err != nil {
		return err
	}
	f, err := json.Marshal(v.Filters)
	if err != nil {
		return err
	}
	v.UpdatedAt = store.Now().Format(store.TimeFormat)
	var createdBy any
	if v.CreatedBy != 0 {
		createdBy = v.CreatedBy
	}
	return s.db.QueryRow(`INSERT INTO saved_views(workspace_id, name, dashboard, filters_json, granularity, created_by, updated_at)
		VALUES(?,?,?,?,?,?,?)
		ON CONFLICT(workspace_id, dashboard, name) DO UPDATE SET filters_json = excluded.filters_json,
			granularity = excluded.granularity, created_by = excluded.created_by, updated_at = excluded.updated_at
		RETURNING id`,
		v.WorkspaceID, v.Name, v.Dashboard, string(f), v.Granularity, createdBy, v.UpdatedAt).Scan(&v.ID)
}

// List returns a workspace's views ("" dashboard = all), by name.
func (s *Service) List(workspaceID int64, dashboard string) ([]View, error) {
	return store.Collect(s.db, func(row store.Scanner) (View, error) {
		var v View
		var f string
		if err := row.Scan(&v.ID, &v.WorkspaceID, &v.Name, &v.Dashboard, &f, &v.Granularity, &v.CreatedBy, &v.UpdatedAt); err != nil {
			return v, err
		}
		if err := json.Unmarshal([]byte(f), &v.Filters); err != nil {
			return v, fmt.Errorf("saved view %q: %w", v.Name, err)
		}
		return v, nil
	}, `SELECT id, workspace_id, name, dashboard, filters_json, granularity, COALESCE(created_by, 0), updated_at
		FROM saved_views WHERE workspace_id = ? AND (? = '' OR dashboard = ?) ORDER BY name COLLATE NOCASE, id`,
		workspaceID, dashboard, dashboard)
}

// Delete removes a view of the workspace.
func (s *Service) Delete(workspaceID, id int64) error {
	res, err := s.db.Exec(`DELETE FROM saved_views WHERE workspace_id = ? AND id = ?`, workspaceID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

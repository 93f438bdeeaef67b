package api

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/metrics"
	"leadnavigator/backend/views"
	"leadnavigator/backend/workspace"
)

// DashboardQuery is the filters and chart granularity of a dashboard request.
type DashboardQuery = metrics.Query

// dashboardTimeout bounds one dashboard computation so a pathological
// filter cannot pin the engine.
const dashboardTimeout = 2 * time.Minute

// dashboardState holds the saved-views service.
type dashboardState struct {
	views *views.Service
}

func (a *API) wireDashboards() (err error) {
	a.dashboards.views, err = views.New(a.db)
	return err
}

// BuyersDashboard computes the Buyers dashboard; datasetID 0 means the
// workspace's latest buyers dataset.
func (a *API) BuyersDashboard(token string, workspaceID, datasetID int64, q DashboardQuery) (metrics.Dashboard, error) {
	return a.dashboard(token, workspaceID, datasetID, q, []string{datasets.Buyers},
		func(ctx context.Context, db *sql.DB, d datasets.Dataset) (metrics.Dashboard, error) {
			return metrics.Buyers(ctx, db, d, q, a.audienceFor(workspaceID))
		})
}

// VisitorsDashboard computes the Visitors dashboard; datasetID 0 means the
// workspace's latest visitors dataset (or leads, when it has no visitors).
func (a *API) VisitorsDashboard(token string, workspaceID, datasetID int64, q DashboardQuery) (metrics.Dashboard, error) {
	return a.dashboard(token, workspaceID, datasetID, q, []string{datasets.Visitors, datasets.Leads},
		func(ctx context.Context, db *sql.DB, d datasets.Dataset) (metrics.Dashboard, error) {
			return metrics.Visitors(ctx, db, d, q)
		})
}

// dashboard checks the caller, picks the dataset (of the first kind present
// when datasetID is 0), computes the dashboard within dashboardTimeout and
// audits the filters applied.
func (a *API) dashboard(token string, workspaceID, datasetID int64, q DashboardQuery, kinds []string,
	compute func(context.Context, *sql.DB, datasets.Dataset) (metrics.Dashboard, error)) (metrics.Dashboard, error) {
	caller, _, err := a.member(token, workspaceID, workspace.View)
	if err != nil {
		return metrics.Dashboard{}, err
	}
	d, err := a.dashboardDataset(workspaceID, datasetID, kinds...)
	if err != nil {
		return metrics.Dashboard{}, err
	}
	db, err := a.engine.Workspace(workspaceID)
	if err != nil {
		return metrics.Dashboard{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), dashboardTimeout)
	defer cancel()
	dash, err := compute(ctx, db, d)
	if err != nil {
		return dash, err
	}
	a.recordFilters(caller, workspaceID, d.ID, q.Filters)
	return dash, nil
}

// FilterOptions lists a column's values with their row counts under the
// other active filters, for the filter bar's multi-select.
func (a *API) FilterOptions(token string, workspaceID, datasetID int64, column, search string, active filters.Set) ([]datasets.ValueCount, error) {
	if _, _, err := a.member(token, workspaceID, workspace.View); err != nil {
		return nil, err
	}
	d, db, err := a.datasetAndEngine(workspaceID, datasetID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), dashboardTimeout)
	defer cancel()
	return metrics.Options(ctx, db, d, column, search, active, metrics.MaxOptions)
}

// ErrNoDataset is returned when a dashboard has no dataset to show.
var ErrNoDataset = errors.New("this workspace has no file for this dashboard yet: import one on the Data page")

// dashboardDataset is datasetID, or the latest dataset of the first kind that has one.
func (a *API) dashboardDataset(workspaceID, datasetID int64, kinds ...string) (datasets.Dataset, error) {
	if datasetID != 0 {
		return a.datasets.Get(workspaceID, datasetID)
	}
	for _, k := range kinds {
		d, err := a.datasets.Latest(workspaceID, k)
		if err == nil {
			return d, nil
		}
		if !errors.Is(err, datasets.ErrNotFound) {
			return d, err
		}
	}
	return datasets.Dataset{}, fmt.Errorf("%w (no %s file)", ErrNoDataset, kinds[0])
}

// audienceFor is the latest visitors (else leads) dataset, the denominator
// of the conversion rate; nil when the workspace has neither.
func (a *API) audienceFor(workspaceID int64) *metrics.Source {
	d, err := a.dashboardDataset(workspaceID, 0, datasets.Visitors, datasets.Leads)
	if err != nil {
		return nil
	}
	db, err := a.engine.Workspace(workspaceID)
	if err != nil {
		return nil
	}
	return &metrics.Source{DB: db, Dataset: d}
}

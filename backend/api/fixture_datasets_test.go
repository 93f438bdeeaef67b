package api

import (
	"fmt"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/mapping"
)

// dataset returns the id of a small buyers dataset in workspace ws, creating
// it on first use directly in the engine (independent of the importer, so
// matrix cases of dashboards and the assistant have data to point at).
func (f *fixture) dataset(ws int64) int64 {
	f.t.Helper()
	if f.datasetIDs == nil {
		f.datasetIDs = map[int64]int64{}
	}
	if id, ok := f.datasetIDs[ws]; ok {
		return id
	}
	db, err := f.api.engine.Workspace(ws)
	must(f.t, err)
	table := datasets.NewTableName()
	_, err = db.Exec(fmt.Sprintf(`CREATE TABLE %s AS SELECT * FROM (VALUES
		(DATE '2026-01-05', 'a@example.com', 'Email', 'Spring', 'F', '25-34', 'Texas', 120.0, 0.0, 10.0),
		(DATE '2026-01-20', 'b@example.com', 'Paid Search', 'Spring', 'M', '35-44', 'New York', 80.0, 20.0, 15.0),
		(DATE '2026-02-03', 'a@example.com', 'Email', 'Winter', 'F', '25-34', 'Texas', 60.0, 0.0, 5.0)
	) t(order_date, email, channel, campaign, gender, age_range, state, revenue, refund, cost)`, table))
	must(f.t, err)
	d := &datasets.Dataset{
		WorkspaceID: ws, Name: "fixture.csv", Kind: datasets.Buyers, Table: table, Rows: 3,
		Columns: []datasets.Column{
			{Name: "order_date", Type: "date"}, {Name: "email", Type: "text"}, {Name: "channel", Type: "text"},
			{Name: "campaign", Type: "text"}, {Name: "gender", Type: "text"}, {Name: "age_range", Type: "text"},
			{Name: "state", Type: "text"}, {Name: "revenue", Type: "decimal"}, {Name: "refund", Type: "decimal"},
			{Name: "cost", Type: "decimal"},
		},
		Mapping: mapping.Mapping{
			mapping.Date: "order_date", mapping.Email: "email", mapping.Channel: "channel", mapping.Campaign: "campaign",
			mapping.Gender: "gender", mapping.AgeRange: "age_range", mapping.State: "state",
			mapping.Revenue: "revenue", mapping.Refund: "refund", mapping.Cost: "cost",
		},
		HeaderSignature: "fixture", Encoding: "utf-8", Separator: ",",
	}
	must(f.t, f.api.datasets.Insert(d))
	f.datasetIDs[ws] = d.ID
	return d.ID
}

package metrics

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/mapping"
)

// TestZZScratch is a temporary timing harness (removed before hand-off).
func TestZZScratch(t *testing.T) {
	qf := os.Getenv("SCRATCH_SQL")
	if qf == "" {
		t.Skip()
	}
	m := engine.NewManager("/tmp/leadnav-bench-dashboard/engine-10000000", engine.Options{MemoryLimit: "1GB"})
	defer m.Close()
	db, err := m.Workspace(1)
	if err != nil {
		t.Fatal(err)
	}
	var d datasets.Dataset
	b, _ := os.ReadFile("/tmp/leadnav-bench-dashboard/dataset-10000000.json")
	json.Unmarshal(b, &d)
	d.Mapping = mapping.Mapping{
		mapping.OrderID: "order_id", mapping.Date: "order_date", mapping.Email: "customer_email", mapping.Channel: "channel",
		mapping.Source: "source", mapping.Campaign: "campaign", mapping.Gender: "gender", mapping.Age: "age",
		mapping.AgeRange: "age_range", mapping.IncomeRange: "income_range", mapping.NetWorth: "net_worth",
		mapping.CreditRating: "credit_rating", mapping.Homeowner: "homeowner", mapping.MaritalStatus: "marital_status",
		mapping.Children: "children", mapping.State: "state", mapping.City: "city", mapping.Zip: "zip",
		mapping.Revenue: "revenue", mapping.Refund: "refund", mapping.Cost: "cost",
	}
	fs := filters.Set{DateFrom: "2024-07-03", DateTo: "2025-07-02", Values: map[string][]string{
		"channel": {"Email", "Paid Search", "Organic Search"},
		"state":   {"California", "Texas", "Florida", "New York", "Illinois"}}}
	ctx := context.Background()
	s, err := newScope(ctx, db, d, fs)
	if err != nil {
		t.Fatal(err)
	}
	c := resolve(d, mapping.CustomerID, mapping.Email)
	src, _ := os.ReadFile(qf)
	for _, q := range strings.Split(string(src), ";;") {
		q = strings.TrimSpace(q)
		if q == "" {
			continue
		}
		var args []any
		switch q {
		case "PEOPLE":
			q, args = peopleSQL(s, c, true)
		case "PEOPLE_NOLTV":
			q, args = peopleSQL(s, c, false)
		case "DASH":
			var ts []time.Duration
			for i := 0; i < 6; i++ {
				st := time.Now()
				if _, err := Buyers(ctx, db, d, Query{Filters: fs, Granularity: "week"}, nil); err != nil {
					t.Fatal(err)
				}
				ts = append(ts, time.Since(st))
			}
			sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
			t.Logf("DASH %v", ts)
			continue
		}
		if strings.HasPrefix(q, "SET ") {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var ts []time.Duration
		var out []string
		for i := 0; i < 4; i++ {
			st := time.Now()
			rows, err := db.QueryContext(ctx, q, args...)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			cols, _ := rows.Columns()
			out = out[:0]
			for rows.Next() {
				v := make([]any, len(cols))
				p := make([]any, len(cols))
				for i := range v {
					p[i] = &v[i]
				}
				rows.Scan(p...)
				for _, x := range v {
					out = append(out, strings.TrimSpace(strings.ReplaceAll(fmtv(x), "\n", " ")))
				}
			}
			rows.Close()
			ts = append(ts, time.Since(st))
		}
		sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
		if len(out) > 12 {
			out = out[:12]
		}
		t.Logf("%.80s\n   times %v\n   out %v", q, ts, out)
	}
}

func fmtv(x any) string { b, _ := json.Marshal(x); return string(b) }

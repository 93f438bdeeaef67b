package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine/enginetest"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/mapping"
)

// purchase is one row of the hand-built buyers table. Expected KPI values
// are computed from these Go values by the simple loops in this file, never
// by the SQL under test.
type purchase struct {
	date     string // "" = NULL
	customer string // "" = NULL
	order    string
	channel  string
	gender   string
	age      string
	income   string
	state    string
	revenue  *float64
	refund   float64
	cost     float64
}

func f(v float64) *float64 { return &v }

var purchases = []purchase{
	// Customer c1: first purchase in December (before the January period), buys again in January.
	{"2025-12-20", "c1", "o1", "Email", "F", "25-34", "$50k-$75k", "Texas", f(100), 0, 5},
	{"2026-01-05", "c1", "o2", "Email", "female", "25-34", "$50k-$75k", "Texas", f(50), 10, 2},
	// c2: new in January, two orders within 90 days and one after.
	{"2026-01-10", "c2", "o3", "Paid Search", "M", "35-44", "$100k+", "NY", f(200), 0, 20},
	{"2026-02-15", "c2", "o4", "Paid Search", "M", "35-44", "$100k+", "NY", f(80), 80, 0},
	{"2026-05-01", "c2", "o5", "Paid Search", "M", "35-44", "$100k+", "NY", f(999), 0, 0},
	// c3: new in January; one order split over two rows (same order id), one row without revenue.
	{"2026-01-20", "c3", "o6", "Social", "x", "18-24", "$25k-$50k", "California", f(30), 0, 7},
	{"2026-01-20", "c3", "o6", "Social", "x", "18-24", "$25k-$50k", "California", f(20), 0, 0},
	{"2026-01-25", "c3", "o7", "Social", "", "18-24", "", "California", nil, 0, 1},
	// ... and an undated order, which no 90-day window can contain.
	{"", "c3", "o14", "Social", "x", "18-24", "$25k-$50k", "California", f(300), 0, 0},
	// c4: new in December (previous period), nothing in January.
	{"2025-12-05", "c4", "o8", "Email", "M", "45-54", "$50k-$75k", "Texas", f(70), 5, 9},
	{"2025-12-28", "c4", "o9", "Referral", "Male", "45-54", "$50k-$75k", "Texas", f(40), 0, 0},
	// A row without a customer and one without a date.
	{"2026-01-31", "", "o10", "Email", "F", "25-34", "$50k-$75k", "NY", f(60), 0, 3},
	{"", "c5", "o11", "Email", "F", "55-64", "$75k-$100k", "Ohio", f(500), 0, 0},
	// c7: first buys in January through Referral (o15: the lowest order id
	// of the first day, though listed after o17), then by Email: with an
	// Email filter, a January buyer but not a new customer of Email.
	{"2026-01-08", "c7", "o17", "Email", "M", "25-34", "$50k-$75k", "Texas", f(5), 0, 0},
	{"2026-01-08", "c7", "o15", "Referral", "M", "25-34", "$50k-$75k", "Texas", f(25), 0, 4},
	{"2026-01-12", "c7", "o16", "Email", "M", "25-34", "$50k-$75k", "Texas", f(35), 0, 0},
	// c2 again, typed differently: the same customer (a repeat buyer in February).
	{"2026-02-20", "C2", "o18", "Paid Search", "M", "35-44", "$100k+", "NY", f(12), 0, 0},
	// c6: a January buyer with three rows in the next period (February).
	{"2026-02-01", "c6", "o12", "Referral", "F", "25-34", "$50k-$75k", "Ohio", f(10), 0, 1},
	{"2026-02-02", "c6", "o13", "Referral", "F", "25-34", "$50k-$75k", "Ohio", f(15), 0, 1},
}

// visit is one row of the hand-built visitors table.
type visit struct {
	date, visitor string
	isNew         bool
	gender        string
	age           int // 0 = NULL
	state         string
	channel       string
}

var visits = []visit{
	{"2025-12-10", "v1", true, "M", 22, "Texas", "Email"},
	{"2025-12-11", "v2", true, "F", 30, "NY", "Social"},
	{"2026-01-02", "v1", false, "M", 22, "Texas", "Email"},
	{"2026-01-03", "v3", true, "F", 41, "Texas", "Paid Search"},
	{"2026-01-03", "v3", false, "F", 41, "Texas", "Paid Search"},
	{"2026-01-15", "v4", true, "", 0, "California", "Email"},
	{"2026-01-20", "v5", true, "Female", 67, "Ohio", "Social"},
	{"2026-01-29", "v3", false, "F", 41, "Texas", "Email"},
	{"2026-02-05", "v6", true, "M", 35, "NY", "Email"},
}

type env struct {
	db       *sql.DB
	buyers   datasets.Dataset
	visitors datasets.Dataset
}

func newEnv(t *testing.T) env {
	t.Helper()
	db := enginetest.Workspace(t)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE buyers (order_date DATE, customer_id VARCHAR, order_id VARCHAR, channel VARCHAR, gender VARCHAR,
		age_range VARCHAR, income VARCHAR, state VARCHAR, revenue DECIMAL(10,2), refund DOUBLE, cost DOUBLE)`)
	for _, p := range purchases {
		var rev any
		if p.revenue != nil {
			rev = *p.revenue
		}
		exec(`INSERT INTO buyers VALUES (?,?,?,?,?,?,?,?,?,?,?)`, nullStr(p.date), nullStr(p.customer), p.order, p.channel,
			p.gender, p.age, p.income, p.state, rev, p.refund, p.cost)
	}
	exec(`CREATE TABLE visitors (visit_date TIMESTAMP, visitor_id VARCHAR, is_new BOOLEAN, gender VARCHAR, age INTEGER, state VARCHAR, channel VARCHAR)`)
	for _, v := range visits {
		var age any
		if v.age != 0 {
			age = v.age
		}
		exec(`INSERT INTO visitors VALUES (?,?,?,?,?,?,?)`, v.date+" 10:00:00", v.visitor, v.isNew, v.gender, age, v.state, v.channel)
	}
	text := func(names ...string) []datasets.Column {
		var cs []datasets.Column
		for _, n := range names {
			cs = append(cs, datasets.Column{Name: n, Type: "text", Distinct: 5})
		}
		return cs
	}
	b := datasets.Dataset{ID: 1, Name: "buyers.csv", Kind: datasets.Buyers, Table: "buyers", Rows: int64(len(purchases)),
		Columns: append(append([]datasets.Column{{Name: "order_date", Type: "date"}},
			text("customer_id", "order_id", "channel", "gender", "age_range", "income", "state")...),
			datasets.Column{Name: "revenue", Type: "currency"}, datasets.Column{Name: "refund", Type: "decimal"}, datasets.Column{Name: "cost", Type: "decimal"}),
		Mapping: mapping.Mapping{mapping.Date: "order_date", mapping.CustomerID: "customer_id", mapping.OrderID: "order_id",
			mapping.Channel: "channel", mapping.Gender: "gender", mapping.AgeRange: "age_range", mapping.IncomeRange: "income",
			mapping.State: "state", mapping.Revenue: "revenue", mapping.Refund: "refund", mapping.Cost: "cost"},
	}
	v := datasets.Dataset{ID: 2, Name: "visitors.csv", Kind: datasets.Visitors, Table: "visitors", Rows: int64(len(visits)),
		Columns: append([]datasets.Column{{Name: "visit_date", Type: "datetime"}, {Name: "is_new", Type: "boolean"}, {Name: "age", Type: "integer"}},
			text("visitor_id", "gender", "state", "channel")...),
		Mapping: mapping.Mapping{mapping.Date: "visit_date", mapping.VisitorID: "visitor_id", mapping.IsNewVisitor: "is_new",
			mapping.Gender: "gender", mapping.Age: "age", mapping.State: "state", mapping.Channel: "channel"},
	}
	return env{db: db, buyers: b, visitors: v}
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ---- independent expectations ----

func inRange(date, from, to string) bool {
	if from == "" && to == "" {
		return true
	}
	return date != "" && (from == "" || date >= from) && (to == "" || date <= to)
}

func addDays(d string, n int) string {
	t, _ := time.Parse("2006-01-02", d)
	return t.AddDate(0, 0, n).Format("2006-01-02")
}

func div(a, b float64) any {
	if b == 0 {
		return nil
	}
	return a / b
}

func gnorm(g string) string {
	switch strings.ToLower(g) {
	case "":
		return ""
	case "m", "male":
		return "Male"
	case "f", "female":
		return "Female"
	}
	return "Other"
}

// expectBuyers computes every buyers KPI over the rows that pass keep and
// fall in [from, to], the way an analyst would with a spreadsheet.
func expectBuyers(keep func(purchase) bool, from, to string, audienceFrom, audienceTo string) map[string]any {
	var rows []purchase
	for _, p := range purchases {
		if keep(p) && inRange(p.date, from, to) {
			rows = append(rows, p)
		}
	}
	var revenue, refund, cost float64
	ordersSeen := map[string]bool{}
	perCust := map[string]int{}
	for _, p := range rows {
		if p.revenue != nil {
			revenue += *p.revenue
		}
		refund += p.refund
		cost += p.cost
		ordersSeen[p.order] = true
		if p.customer != "" {
			perCust[customerKey(p)]++
		}
	}
	repeat := 0
	for _, n := range perCust {
		if n > 1 {
			repeat++
		}
	}
	// New customers: those whose first dated purchase in the file (ties:
	// the lowest order id) is one of the kept rows of the range. Their 90-day
	// revenue counts every purchase of theirs within 90 days of it, kept or not.
	firstRow := map[string]int{}
	for i, p := range purchases {
		if p.customer == "" || p.date == "" {
			continue
		}
		if j, ok := firstRow[customerKey(p)]; !ok || p.date < purchases[j].date || p.date == purchases[j].date && p.order < purchases[j].order {
			firstRow[customerKey(p)] = i
		}
	}
	var newCount, ltvSum float64
	for c, i := range firstRow {
		fp := purchases[i]
		if !keep(fp) || !inRange(fp.date, from, to) {
			continue
		}
		newCount++
		for _, p := range purchases {
			if customerKey(p) == c && p.date >= fp.date && p.date < addDays(fp.date, 90) && p.revenue != nil {
				ltvSum += *p.revenue
			}
		}
	}
	audience := map[string]bool{}
	for _, v := range visits {
		if inRange(v.date, audienceFrom, audienceTo) {
			audience[v.visitor] = true
		}
	}
	exp := map[string]any{
		"total_revenue": revenue, "aov": div(revenue, float64(len(ordersSeen))), "refunds": refund,
		"net_revenue": revenue - refund, "cac": div(cost, newCount), "ltv_90": div(ltvSum, newCount),
		"conversion_rate": div(float64(len(perCust)), float64(len(audience))),
		"total_buyers":    float64(len(rows)), "unique_buyers": float64(len(perCust)),
		"repeat_rate": div(float64(repeat), float64(len(perCust))),
		"rows":        float64(len(rows)),
	}
	// Revenue-less orders count as orders only through their order id, and
	// AOV counts distinct order ids: o7 (no revenue) is an order.
	counts := func(get func(purchase) string) map[string]int {
		m := map[string]int{}
		for _, p := range rows {
			if v := get(p); v != "" {
				m[v]++
			}
		}
		return m
	}
	exp["top_state"] = mode(counts(func(p purchase) string { return p.state }))
	exp["top_income"] = mode(counts(func(p purchase) string { return p.income }))
	exp["top_age"] = mode(counts(func(p purchase) string { return p.age }))
	g := counts(func(p purchase) string { return gnorm(p.gender) })
	exp["gender"] = splitText(g)
	return exp
}

// customerKey identifies a customer: ids ignore case.
func customerKey(p purchase) string { return strings.ToLower(p.customer) }

func mode(m map[string]int) any {
	best, n := "", 0
	for v, c := range m {
		if c > n || (c == n && v < best) {
			best, n = v, c
		}
	}
	if n == 0 {
		return nil
	}
	return best
}

func splitText(g map[string]int) any {
	total := g["Male"] + g["Female"] + g["Other"]
	if total == 0 {
		return nil
	}
	p := func(k string) string { return fmt.Sprintf("%.0f%%", float64(g[k])/float64(total)*100) }
	s := p("Female") + " F · " + p("Male") + " M"
	if g["Other"] > 0 {
		s += " · " + p("Other") + " other"
	}
	return s
}

func sameValue(got, want any) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	gf, ok1 := got.(float64)
	wf, ok2 := want.(float64)
	if ok1 && ok2 {
		return math.Abs(gf-wf) <= 1e-9*math.Max(1, math.Abs(wf))
	}
	return got == want
}

func kpiMap(d Dashboard) map[string]KPI {
	m := map[string]KPI{}
	for _, k := range d.KPIs {
		m[k.ID] = k
	}
	return m
}

func checkKPIs(t *testing.T, d Dashboard, ids []string, cur, prev map[string]any, hasPrev bool) {
	t.Helper()
	got := kpiMap(d)
	if len(got) != len(ids) {
		var names []string
		for id := range got {
			names = append(names, id)
		}
		sort.Strings(names)
		t.Errorf("KPIs = %v, want %v", names, ids)
	}
	for _, id := range ids {
		k, ok := got[id]
		if !ok {
			t.Errorf("KPI %s missing", id)
			continue
		}
		if k.Definition == "" || k.Label == "" {
			t.Errorf("KPI %s has no label/definition", id)
		}
		if !sameValue(k.Value, cur[id]) {
			t.Errorf("%s = %v, want %v", id, k.Value, cur[id])
		}
		wantPrev := any(nil)
		if hasPrev {
			wantPrev = prev[id]
		}
		if !sameValue(k.Previous, wantPrev) {
			t.Errorf("%s previous = %v, want %v", id, k.Previous, wantPrev)
		}
		c, _ := cur[id].(float64)
		p, isNum := wantPrev.(float64)
		switch {
		case isNum && p != 0 && cur[id] != nil:
			if k.ChangePct == nil || math.Abs(*k.ChangePct-(c-p)/math.Abs(p)*100) > 1e-6 {
				t.Errorf("%s changePct = %v, want %v", id, k.ChangePct, (c-p)/math.Abs(p)*100)
			}
		case k.ChangePct != nil:
			t.Errorf("%s changePct = %v, want none", id, *k.ChangePct)
		}
	}
}

var revenueIDs = []string{"total_revenue", "aov", "ltv_90", "refunds", "net_revenue", "cac", "conversion_rate"}

func TestBuyersRevenueKPIs(t *testing.T) {
	e := newEnv(t)
	aud := &Source{DB: e.db, Dataset: e.visitors}
	all := func(purchase) bool { return true }
	tests := []struct {
		name     string
		set      filters.Set
		keep     func(purchase) bool
		from, to string // the period the test expects
	}{
		{"january", filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31"}, all, "2026-01-01", "2026-01-31"},
		{"january email+social", filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31", Values: map[string][]string{"channel": {"Email", "Social"}}},
			func(p purchase) bool { return p.channel == "Email" || p.channel == "Social" }, "2026-01-01", "2026-01-31"},
		{"february female texas-or-ohio", filters.Set{DateFrom: "2026-02-01", DateTo: "2026-02-28",
			Values: map[string][]string{"gender": {"Female"}, "state": {"Ohio", "Texas"}}},
			func(p purchase) bool { return gnorm(p.gender) == "Female" && (p.state == "Ohio" || p.state == "Texas") }, "2026-02-01", "2026-02-28"},
		{"empty result", filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31", Values: map[string][]string{"channel": {"Nope"}}},
			func(purchase) bool { return false }, "2026-01-01", "2026-01-31"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Buyers(context.Background(), e.db, e.buyers, Query{Filters: tc.set}, aud)
			if err != nil {
				t.Fatal(err)
			}
			days := int(mustDate(tc.to).Sub(mustDate(tc.from)).Hours()/24) + 1
			pTo := addDays(tc.from, -1)
			pFrom := addDays(pTo, -(days - 1))
			if d.Period != (Period{tc.from, tc.to, pFrom, pTo}) {
				t.Errorf("period = %+v, want %s..%s vs %s..%s", d.Period, tc.from, tc.to, pFrom, pTo)
			}
			cur := expectBuyers(tc.keep, tc.from, tc.to, tc.from, tc.to)
			prev := expectBuyers(tc.keep, pFrom, pTo, pFrom, pTo)
			checkKPIs(t, d, revenueIDs, cur, prev, prev["rows"] != 0.0)
			if float64(d.RowsMatched) != cur["rows"] {
				t.Errorf("rowsMatched = %d, want %v", d.RowsMatched, cur["rows"])
			}
		})
	}
}

func mustDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestBuyersOpenRangeUsesDataBoundsAndIncludesUndatedRows(t *testing.T) {
	e := newEnv(t)
	d, err := Buyers(context.Background(), e.db, e.buyers, Query{}, &Source{DB: e.db, Dataset: e.visitors})
	if err != nil {
		t.Fatal(err)
	}
	// The data spans 2025-12-05..2026-05-01 (148 days); the previous period is the 148 days before.
	if d.Period != (Period{"2025-12-05", "2026-05-01", "2025-07-10", "2025-12-04"}) {
		t.Errorf("period = %+v", d.Period)
	}
	all := func(purchase) bool { return true }
	cur := expectBuyers(all, "", "", "", "")
	// Nothing precedes the data, so there is nothing to compare with.
	checkKPIs(t, d, revenueIDs, cur, nil, false)
	if d.RowsMatched != int64(len(purchases)) {
		t.Errorf("rowsMatched = %d, want every row (%d)", d.RowsMatched, len(purchases))
	}
}

func TestBuyersDemographicKPIsWithoutRevenue(t *testing.T) {
	e := newEnv(t)
	ds := e.buyers
	ds.Mapping = mapping.Mapping{}
	for k, v := range e.buyers.Mapping {
		if k != mapping.Revenue && k != mapping.Refund && k != mapping.Cost {
			ds.Mapping[k] = v
		}
	}
	ids := []string{"total_buyers", "unique_buyers", "repeat_rate", "gender", "top_state", "top_income", "top_age"}
	for _, tc := range []struct {
		name string
		set  filters.Set
		keep func(purchase) bool
	}{
		{"january", filters.Set{}, func(purchase) bool { return true }},
		{"january 25-34 or 35-44", filters.Set{Values: map[string][]string{"age_range": {"25-34", "35-44"}}},
			func(p purchase) bool { return p.age == "25-34" || p.age == "35-44" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.set.DateFrom, tc.set.DateTo = "2026-01-01", "2026-01-31"
			d, err := Buyers(context.Background(), e.db, ds, Query{Filters: tc.set, Granularity: "week"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			cur := expectBuyers(tc.keep, "2026-01-01", "2026-01-31", "", "")
			prev := expectBuyers(tc.keep, "2025-12-01", "2025-12-31", "", "")
			checkKPIs(t, d, ids, cur, prev, prev["rows"] != 0.0)
			if !hasMissing(d, mapping.Revenue) {
				t.Errorf("missing = %+v, want a note about the Revenue mapping", d.Missing)
			}
		})
	}
}

func hasMissing(d Dashboard, field string) bool {
	for _, m := range d.Missing {
		if m.Field == field && m.Note != "" {
			return true
		}
	}
	return false
}

func TestBuyersWithoutDateOrCustomerHideThoseKPIs(t *testing.T) {
	e := newEnv(t)
	ds := e.buyers
	ds.Mapping = mapping.Mapping{mapping.Revenue: "revenue", mapping.Channel: "channel"}
	d, err := Buyers(context.Background(), e.db, ds, Query{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := func(purchase) bool { return true }
	checkKPIs(t, d, []string{"total_revenue", "aov"}, expectBuyers(all, "", "", "", ""), nil, false)
	if _, ok := d.Charts["over_time"]; ok {
		t.Error("over_time chart without a date column")
	}
	for _, f := range []string{mapping.Date, mapping.CustomerID, mapping.Refund, mapping.Cost, mapping.State} {
		if !hasMissing(d, f) {
			t.Errorf("no missing note for %s: %+v", f, d.Missing)
		}
	}
	if _, err := Buyers(context.Background(), e.db, ds, Query{Filters: filters.Set{DateFrom: "2026-01-01"}}, nil); err == nil {
		t.Error("a date range without a date column should be refused")
	}
}

func TestBuyersCharts(t *testing.T) {
	e := newEnv(t)
	set := filters.Set{DateFrom: "2025-12-01", DateTo: "2026-02-28", Values: map[string][]string{"state": {"Texas", "NY", "Ohio", "California"}}}
	d, err := Buyers(context.Background(), e.db, e.buyers, Query{Filters: set, Granularity: "month"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Independent: revenue and rows per month and per channel.
	months := map[string][2]float64{}
	channels := map[string]float64{}
	for _, p := range purchases {
		if !inRange(p.date, "2025-12-01", "2026-02-28") {
			continue
		}
		m := p.date[:7] + "-01"
		v := months[m]
		v[0]++
		if p.revenue != nil {
			v[1] += *p.revenue
			channels[p.channel] += *p.revenue
		}
		months[m] = v
	}
	ot := d.Charts["over_time"]
	if strings.Join(ot.X, ",") != "2025-12-01,2026-01-01,2026-02-01" || len(ot.Series) != 2 {
		t.Fatalf("over_time = %+v", ot)
	}
	for i, x := range ot.X {
		if ot.Series[0].Y[i] != months[x][0] || ot.Series[1].Y[i] != months[x][1] {
			t.Errorf("%s: conversions %v revenue %v, want %v", x, ot.Series[0].Y[i], ot.Series[1].Y[i], months[x])
		}
	}
	ch := d.Charts["channels"]
	if ch.Column != "channel" || len(ch.X) != len(channels) {
		t.Fatalf("channels = %+v, want %d channels", ch, len(channels))
	}
	for i, x := range ch.X {
		if ch.Series[0].Y[i] != channels[x] {
			t.Errorf("channel %s revenue %v, want %v", x, ch.Series[0].Y[i], channels[x])
		}
		if i > 0 && ch.Series[0].Y[i] > ch.Series[0].Y[i-1] {
			t.Errorf("channels not sorted by revenue: %v", ch.Series[0].Y)
		}
	}
	m := d.Charts["state_map"]
	codes := map[string]string{}
	for i, x := range m.X {
		codes[x] = m.Locations[i]
	}
	if codes["Texas"] != "TX" || codes["NY"] != "NY" || codes["California"] != "CA" {
		t.Errorf("state map codes = %v", codes)
	}
	if got := d.Charts["income"].X; strings.Join(got, "|") != "$25k-$50k|$50k-$75k|$100k+|"+filters.Blank {
		t.Errorf("income order = %v", got)
	}
}

// TestDailySeriesFillsGaps: days without rows show as zero on a continuous axis.
func TestDailySeriesFillsGaps(t *testing.T) {
	e := newEnv(t)
	d, err := Buyers(context.Background(), e.db, e.buyers, Query{Filters: filters.Set{DateFrom: "2026-01-04", DateTo: "2026-01-11"}, Granularity: "day"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ot := d.Charts["over_time"]
	want := map[string]float64{}
	for _, p := range purchases {
		if inRange(p.date, "2026-01-04", "2026-01-11") {
			want[p.date]++
		}
	}
	if len(ot.X) != 8 {
		t.Fatalf("x = %v, want the 8 days", ot.X)
	}
	for i, x := range ot.X {
		if ot.Series[0].Y[i] != want[x] {
			t.Errorf("%s: %v conversions, want %v", x, ot.Series[0].Y[i], want[x])
		}
	}
}

func TestVisitorsDashboard(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name string
		set  filters.Set
		keep func(visit) bool
	}{
		{"january", filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31"}, func(visit) bool { return true }},
		{"january texas", filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31", Values: map[string][]string{"state": {"Texas"}}},
			func(v visit) bool { return v.state == "Texas" }},
		{"january nobody", filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31", Values: map[string][]string{"state": {"Utah"}}},
			func(visit) bool { return false }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Visitors(context.Background(), e.db, e.visitors, Query{Filters: tc.set, Granularity: "day"})
			if err != nil {
				t.Fatal(err)
			}
			expect := func(from, to string) map[string]any {
				per := map[string]int{}
				g := map[string]int{}
				n := 0
				for _, v := range visits {
					if tc.keep(v) && inRange(v.date, from, to) {
						n++
						per[v.visitor]++
						if gn := gnorm(v.gender); gn != "" {
							g[gn]++
						}
					}
				}
				rep := 0
				for _, c := range per {
					if c > 1 {
						rep++
					}
				}
				return map[string]any{"total_visitors": float64(n), "unique_visitors": float64(len(per)),
					"repeat_rate": div(float64(rep), float64(len(per))), "gender": splitText(g)}
			}
			prev := expect("2025-12-01", "2025-12-31")
			checkKPIs(t, d, []string{"total_visitors", "unique_visitors", "repeat_rate", "gender"},
				expect("2026-01-01", "2026-01-31"), prev, prev["total_visitors"] != 0.0)
			ot := d.Charts["over_time"]
			var newSum, retSum, wantNew, wantRet float64
			for i := range ot.X {
				newSum += ot.Series[0].Y[i]
				retSum += ot.Series[1].Y[i]
			}
			for _, v := range visits {
				if tc.keep(v) && inRange(v.date, "2026-01-01", "2026-01-31") {
					if v.isNew {
						wantNew++
					} else {
						wantRet++
					}
				}
			}
			if len(ot.X) != 31 || newSum != wantNew || retSum != wantRet {
				t.Errorf("over_time: %d days, new %v returning %v; want 31, %v, %v", len(ot.X), newSum, retSum, wantNew, wantRet)
			}
		})
	}
}

func TestVisitorsAgeBucketsFromNumericAge(t *testing.T) {
	e := newEnv(t)
	d, err := Visitors(context.Background(), e.db, e.visitors, Query{})
	if err != nil {
		t.Fatal(err)
	}
	age := d.Charts["age"]
	got := map[string]float64{}
	for i, x := range age.X {
		got[x] = age.Series[0].Y[i]
	}
	want := map[string]float64{"18-24": 2, "25-34": 1, "35-44": 4, "65+": 1, filters.Blank: 1}
	if fmt.Sprint(got) != fmt.Sprint(want) || age.X[0] != "18-24" || age.X[len(age.X)-1] != filters.Blank {
		t.Errorf("age = %v %v, want %v in bracket order", age.X, got, want)
	}
}

func TestOptionsCountUnderOtherFilters(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	active := filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31", Values: map[string][]string{"channel": {"Email"}, "state": {"Texas"}}}
	// Channel options ignore the channel selection but respect state and dates.
	got, err := Options(ctx, e.db, e.buyers, "channel", "", active, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for _, p := range purchases {
		if p.state == "Texas" && inRange(p.date, "2026-01-01", "2026-01-31") {
			want[p.channel]++
		}
	}
	if len(got) != len(want) {
		t.Fatalf("options = %+v, want %v", got, want)
	}
	for _, o := range got {
		if want[o.Value] != o.Count {
			t.Errorf("%s: %d, want %d", o.Value, o.Count, want[o.Value])
		}
	}
	// Search narrows case-insensitively; gender values are normalized; blanks are listed.
	got, err = Options(ctx, e.db, e.buyers, "gender", "AL", filters.Set{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	genders := map[string]int64{}
	for _, p := range purchases {
		genders[gnorm(p.gender)]++
	}
	wantGender := []datasets.ValueCount{{Value: "Female", Count: genders["Female"]}, {Value: "Male", Count: genders["Male"]}}
	sort.Slice(wantGender, func(i, j int) bool { return wantGender[i].Count > wantGender[j].Count }) // most rows first
	if fmt.Sprint(got) != fmt.Sprint(wantGender) {
		t.Errorf("gender options = %+v", got)
	}
	got, _ = Options(ctx, e.db, e.buyers, "income", "blank", filters.Set{}, 0)
	if len(got) != 1 || got[0].Value != filters.Blank || got[0].Count != 1 {
		t.Errorf("blank options = %+v", got)
	}
	if _, err := Options(ctx, e.db, e.buyers, "nope", "", filters.Set{}, 0); err == nil {
		t.Error("unknown column accepted")
	}
	if got, _ := Options(ctx, e.db, e.buyers, "channel", "", filters.Set{}, 2); len(got) != 2 {
		t.Errorf("limit 2 gave %d options", len(got))
	}
}

func TestFilterables(t *testing.T) {
	e := newEnv(t)
	ds := e.buyers
	ds.Columns = append(ds.Columns, datasets.Column{Name: "tier", Original: "Tier", Type: "text", Distinct: 3},
		datasets.Column{Name: "notes", Type: "text", Distinct: 5000}, datasets.Column{Name: "landing_page", Original: "landing_page", Type: "text", Distinct: 9})
	got := Filterables(ds)
	var cols []string
	for _, f := range got {
		cols = append(cols, f.Column+":"+f.Label)
	}
	want := "channel:Channel,gender:Gender,age_range:Age range,income:Income range,state:State,tier:Tier,landing_page:Landing page"
	if strings.Join(cols, ",") != want {
		t.Errorf("filterables = %v, want %s", cols, want)
	}
}

// TestAOVWithUniqueOrderIDs covers the path where order ids are unique per
// row, so orders are counted without a distinct count.
func TestAOVWithUniqueOrderIDs(t *testing.T) {
	e := newEnv(t)
	if _, err := e.db.Exec(`CREATE TABLE buyers_u AS SELECT * REPLACE ('u' || row_number() OVER () AS order_id) FROM buyers`); err != nil {
		t.Fatal(err)
	}
	ds := e.buyers
	ds.Table = "buyers_u"
	d, err := Buyers(context.Background(), e.db, ds, Query{Filters: filters.Set{DateFrom: "2026-01-01", DateTo: "2026-01-31"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var revenue, orders float64
	for _, p := range purchases {
		if inRange(p.date, "2026-01-01", "2026-01-31") {
			orders++ // every row now has its own order id
			if p.revenue != nil {
				revenue += *p.revenue
			}
		}
	}
	if got := kpiMap(d)["aov"].Value; !sameValue(got, revenue/orders) {
		t.Errorf("aov = %v, want %v", got, revenue/orders)
	}
}

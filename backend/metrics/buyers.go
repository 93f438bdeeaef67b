package metrics

import (
	"context"
	"database/sql"
	"fmt"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/filters"
	"leadnavigator/backend/mapping"
)

// Definitions shown when hovering a KPI.
const (
	defRevenue    = "Sum of the Revenue column over the filtered rows (gross, before refunds)."
	defAOV        = "Total Revenue divided by the number of orders (distinct Order IDs, or rows with a revenue when no Order ID is mapped)."
	defLTV        = "Average revenue of new customers in the 90 days starting on their first purchase (all their purchases in those days). New customers: those whose first purchase in the file falls in the period and matches the filters (customer = Customer ID, or Email)."
	defRefunds    = "Sum of the Refund column over the filtered rows."
	defNet        = "Total Revenue minus Refunds."
	defCAC        = "Sum of the Cost column divided by the number of new customers: those whose first purchase in the file falls in the period and matches the filters (e.g. was made through the selected channels)."
	defConversion = "Unique buyers divided by unique visitors (or leads) of the latest visitors/leads file over the same dates."
	defBuyers     = "Number of purchase rows matching the filters."
	defUnique     = "Number of distinct customers (Customer ID, or Email) among the filtered rows."
	defGender     = "Share of filtered rows by gender (F/Female, M/Male, anything else counts as other); rows without a gender are left out."
	defRepeat     = "Share of unique customers with more than one purchase row in the period."
	defTopState   = "The state with the most filtered rows."
	defTopIncome  = "The income range with the most filtered rows."
	defTopAge     = "The age range with the most filtered rows."
)

// Buyers computes the Buyers dashboard of d. audience (may be nil) is the
// workspace's latest visitors or leads dataset, for the conversion rate.
func Buyers(ctx context.Context, db *sql.DB, d datasets.Dataset, q Query, audience *Source) (Dashboard, error) {
	dash, s, c, err := start(ctx, db, d, q, customerFields)
	if err != nil {
		return dash, err
	}
	gran := dash.Granularity
	dash.Missing = buyersMissing(c, d, audience)

	countOrders, err := needsDistinctOrders(ctx, db, d, c)
	if err != nil {
		return dash, err
	}
	var t tasks
	var sr scanResult
	var pc, pp headcount
	var aud [2]float64
	var orders [2]float64
	t.Go("totals and charts", func() (err error) { sr, err = scan(ctx, db, s, c, dims(c), gran, nil, ""); return })
	if countOrders {
		t.Go("orders", func() (err error) { orders[0], orders[1], err = distinctOrders(ctx, db, s, c); return })
	}
	// Unique and repeat buyers show without revenue; with revenue only
	// unique buyers are needed, as the numerator of the conversion rate.
	// New customers, LTV and CAC come from the scan.
	withAudience := audience != nil && c.people.Has()
	switch {
	case c.people.Has() && c.revenue == "":
		t.Go("customers", func() (err error) { pc, pp, err = peopleCounts(ctx, db, s, c.people.Person); return })
	case withAudience:
		t.Go("customers", func() (err error) { pc.unique, pp.unique, err = uniquePeople(ctx, db, s, c.people); return })
	}
	if withAudience {
		t.Go("conversion", func() (err error) { aud, err = audienceCount(ctx, audience, s); return })
	}
	if err := t.Wait(); err != nil {
		return dash, err
	}
	cur, prev, cats := sr.cur, sr.prev, sr.cats
	if countOrders {
		cur.orders, prev.orders = orders[0], orders[1]
	}
	if s.dateExpr != "" {
		dash.Charts["over_time"] = buyersOverTime(&sr, c, gran, s.period)
	}
	dash.RowsMatched = int64(cur.rows)
	// Compare only when the previous period has rows: an implied period
	// covering all the data has nothing before it to compare with.
	hp := s.hasPrev() && prev.rows > 0
	if c.revenue != "" {
		dash.KPIs = revenueKPIs(c, cur, prev, hp)
		if withAudience {
			dash.KPIs = append(dash.KPIs, kpi("conversion_rate", "Conversion Rate", "percent", defConversion,
				ratio(pc.unique, aud[0]), ratio(pp.unique, aud[1]), hp))
		}
	} else {
		dash.KPIs = demographicKPIs(c, cur, prev, pc, pp, cats, hp)
	}
	addCategoryCharts(&dash, c, cats, c.revenue != "")
	return dash, nil
}

// needsDistinctOrders reports whether orders must be counted as distinct
// order ids (an order id is mapped, with revenue, and is not unique per row).
func needsDistinctOrders(ctx context.Context, db *sql.DB, d datasets.Dataset, c cols) (bool, error) {
	if c.orderID == "" || c.revenue == "" {
		return false, nil
	}
	unique, err := ordersAreRows(ctx, db, d.Table, c.orderID)
	if err != nil {
		return false, fmt.Errorf("order ids of %s: %w", d.Name, err)
	}
	return !unique, nil
}

// buyersOverTime is the conversions (and revenue) per time bucket.
func buyersOverTime(sr *scanResult, c cols, gran string, p Period) Chart {
	specs := []seriesSpec{{name: "Conversions"}}
	index := []int{0}
	title := "Conversions over time"
	if c.revenue != "" {
		specs, index = append(specs, seriesSpec{name: "Revenue"}), append(index, 1)
		title = "Revenue & conversions over time"
	}
	ch := sr.chart(gran, p, specs, index)
	ch.Title = title
	return ch
}

// start is what both dashboards do first: the periods of the filters, the
// mapped columns (people identified by personFields) with the dataset's
// row indexes, and the chart granularity.
func start(ctx context.Context, db *sql.DB, d datasets.Dataset, q Query, personFields []string) (Dashboard, scope, cols, error) {
	dash := newDashboard(d)
	s, err := newScope(ctx, db, d, q.Filters)
	if err != nil {
		return dash, s, cols{}, err
	}
	dash.Period = s.period
	c := resolve(d, personFields...)
	if err := c.withIndexes(ctx, db, d); err != nil {
		return dash, s, c, err
	}
	dash.Granularity, err = granularity(q.Granularity, s.period)
	return dash, s, c, err
}

func newDashboard(d datasets.Dataset) Dashboard {
	return Dashboard{
		Dataset:    DatasetInfo{ID: d.ID, Name: d.Name, Rows: d.Rows},
		KPIs:       []KPI{},
		Charts:     map[string]Chart{},
		Missing:    []Missing{},
		Filterable: Filterables(d),
	}
}

func revenueKPIs(c cols, cur, prev totals, hp bool) []KPI {
	ks := []KPI{
		kpi("total_revenue", "Total Revenue", "currency", defRevenue, cur.revenue, prev.revenue, hp),
		kpi("aov", "Average Order Value", "currency", defAOV, ratio(cur.revenue, cur.orders), ratio(prev.revenue, prev.orders), hp),
	}
	if c.people.Has() && c.date != "" {
		ks = append(ks, kpi("ltv_90", "90-day Customer LTV", "currency", defLTV, ratio(cur.new90, cur.newPeople), ratio(prev.new90, prev.newPeople), hp))
	}
	if c.refund != "" {
		ks = append(ks,
			kpi("refunds", "Refunded", "currency", defRefunds, cur.refund, prev.refund, hp),
			kpi("net_revenue", "Net Revenue", "currency", defNet, cur.revenue-cur.refund, prev.revenue-prev.refund, hp))
	}
	if c.cost != "" && c.people.Has() && c.date != "" {
		ks = append(ks, kpi("cac", "CAC", "currency", defCAC, ratio(cur.cost, cur.newPeople), ratio(prev.cost, prev.newPeople), hp))
	}
	return ks
}

func demographicKPIs(c cols, cur, prev totals, pc, pp headcount, cats map[string][]catCount, hp bool) []KPI {
	ks := []KPI{kpi("total_buyers", "Total Buyers", "number", defBuyers, cur.rows, prev.rows, hp)}
	if c.people.Has() {
		ks = append(ks,
			kpi("unique_buyers", "Unique Buyers", "number", defUnique, pc.unique, pp.unique, hp),
			kpi("repeat_rate", "Repeat Buyer Rate", "percent", defRepeat, ratio(pc.repeat, pc.unique), ratio(pp.repeat, pp.unique), hp))
	}
	if c.gender != "" {
		ks = append(ks, kpi("gender", "Gender %", "text", defGender, genderSplit(cats["gender"], false), genderSplit(cats["gender"], true), hp))
	}
	for _, tk := range []struct{ id, dim, expr, label, def string }{
		{"top_state", "state", c.state, "Top State", defTopState},
		{"top_income", "income", c.income, "Top Income Range", defTopIncome},
		{"top_age", "age", c.ageRange + c.age, "Most Common Age Range", defTopAge},
	} {
		if tk.expr != "" {
			ks = append(ks, kpi(tk.id, tk.label, "text", tk.def, top(cats[tk.dim], false), top(cats[tk.dim], true), hp))
		}
	}
	return ks
}

// dims are the categorical breakdowns both dashboards chart.
func dims(c cols) []dim {
	var ds []dim
	add := func(id, expr string) {
		if expr != "" {
			ds = append(ds, dim{id: id, key: expr})
		}
	}
	add("channel", c.channel)
	// Gender and age brackets are functions of one column: grouping by the
	// raw column and labelling the few groups afterwards spares evaluating
	// the CASE on every row.
	if c.gender != "" {
		ds = append(ds, dim{id: "gender", key: quoted(c.genderCol), label: filters.GenderExpr})
	}
	if c.ageRange != "" {
		add("age", c.ageRange)
	} else if c.age != "" {
		ds = append(ds, dim{id: "age", key: c.age, label: ageBuckets})
	}
	add("income", c.income)
	add("state", c.state)
	return ds
}

// addCategoryCharts turns the category counts into the bar/pie/map charts.
func addCategoryCharts(dash *Dashboard, c cols, cats map[string][]catCount, byRevenue bool) {
	// Charts of mapped columns are always present (empty under filters
	// that match nothing), so the layout does not jump.
	if c.channel != "" {
		dash.Charts["channels"] = barChart("Top 15 channels", cats["channel"], 15, c.channelCol, byRevenue)
	}
	if c.gender != "" {
		dash.Charts["gender"] = orderedChart("Gender", "pie", cats["gender"], c.genderCol)
	}
	if c.ageRange != "" || c.age != "" {
		dash.Charts["age"] = orderedChart("Age distribution", "bar", cats["age"], c.ageRangeCol)
	}
	if c.income != "" {
		dash.Charts["income"] = orderedChart("Income range", "bar", cats["income"], c.incomeCol)
	}
	if c.state != "" {
		dash.Charts["states"] = barChart("Top 15 states", cats["state"], 15, c.stateCol, false)
		dash.Charts["state_map"] = stateMap(cats["state"], c.stateCol)
	}
}

// audienceCount is the unique visitors (or leads) of the audience dataset
// in the current and previous period (its rows when it has no person id).
func audienceCount(ctx context.Context, a *Source, s scope) ([2]float64, error) {
	var out [2]float64
	ac := resolve(a.Dataset, visitorFields...)
	if err := ac.withPeople(ctx, a.DB, a.Dataset); err != nil {
		return out, err
	}
	as := scope{table: a.Dataset.Table, values: pred{sql: "TRUE"}, cur: pred{sql: "TRUE"}, prev: pred{sql: "FALSE"}}
	if ac.date != "" {
		as.cur, as.prev = s.curOn(ac.date), s.prevOn(ac.date)
	}
	as.span = spanOf(as)
	if ac.people.Has() {
		cur, prev, err := uniquePeople(ctx, a.DB, as, ac.people)
		return [2]float64{cur, prev}, err
	}
	var b sqlb
	b.add("SELECT COUNT(*) FILTER (WHERE cur_), COUNT(*) FILTER (WHERE NOT cur_) ")
	as.from(&b, "1 AS one_")
	var c, p sql.NullFloat64
	if err := a.DB.QueryRowContext(ctx, b.String(), b.args...).Scan(&c, &p); err != nil {
		return out, err
	}
	return [2]float64{c.Float64, p.Float64}, nil
}

func buyersMissing(c cols, d datasets.Dataset, audience *Source) []Missing {
	var m []Missing
	need := func(ok bool, feature, field, note string) {
		if !ok {
			m = append(m, Missing{feature, field, note})
		}
	}
	need(c.revenue != "", "Revenue KPIs", mapping.Revenue, "Map a Revenue column to see revenue KPIs (showing audience KPIs instead).")
	need(c.date != "", "Trends and period comparison", mapping.Date, "Map a Date column to see trends over time and changes vs the previous period.")
	need(c.person != "", "Customer KPIs", mapping.CustomerID, "Map a Customer ID or Email column to see unique/repeat buyers, LTV and CAC.")
	if c.revenue != "" {
		need(c.refund != "", "Refunds and net revenue", mapping.Refund, "Map a Refund column to see refunds and net revenue.")
		need(c.cost != "", "CAC", mapping.Cost, "Map a Cost column to see customer acquisition cost.")
		need(audience != nil, "Conversion Rate", mapping.VisitorID, "Import a visitors or leads file to this workspace to see the conversion rate.")
	}
	need(c.channel != "", "Channels chart", mapping.Channel, "Map a Channel or Source column to see top channels.")
	need(c.state != "", "States chart", mapping.State, "Map a State column to see the states chart and map.")
	return m
}

package metrics

import (
	"context"
	"database/sql"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/mapping"
)

const (
	defVisits          = "Number of visit rows matching the filters."
	defUniqueVisitors  = "Number of distinct visitors (Visitor ID, or Email) among the filtered rows."
	defVisitorGender   = "Share of filtered visits by gender (F/Female, M/Male, anything else counts as other); visits without a gender are left out."
	defRepeatVisitors  = "Share of unique visitors with more than one visit in the period."
	defReturningVisits = "Share of visits not flagged as a new visitor (no Visitor ID or Email is mapped to count people)."
)

// Visitors computes the Visitors dashboard of d.
func Visitors(ctx context.Context, db *sql.DB, d datasets.Dataset, q Query) (Dashboard, error) {
	dash, s, c, err := start(ctx, db, d, q, visitorFields)
	if err != nil {
		return dash, err
	}
	gran := dash.Granularity
	dash.Missing = visitorsMissing(c)

	var t tasks
	var sr scanResult
	var pc, pp headcount
	var series []seriesSpec
	exprs := ""
	if c.isNew != "" {
		series = []seriesSpec{{"New", "COUNT(*) FILTER (WHERE n_)"}, {"Returning", "COUNT(*) FILTER (WHERE NOT n_)"}}
		exprs = c.isNew + " AS n_"
	}
	t.Go("totals and charts", func() (err error) { sr, err = scan(ctx, db, s, c, dims(c), gran, series, exprs); return })
	if c.people.Has() {
		t.Go("visitors", func() (err error) { pc, pp, err = peopleCounts(ctx, db, s, c.people.Person); return })
	}
	if err := t.Wait(); err != nil {
		return dash, err
	}
	cur, prev, cats := sr.cur, sr.prev, sr.cats
	var ret [2]float64
	if c.isNew != "" && len(sr.extra[0]) == 2 {
		ret[0] = sr.extra[0][1]
	}
	if c.isNew != "" && len(sr.extra[1]) == 2 {
		ret[1] = sr.extra[1][1]
	}
	if s.dateExpr != "" {
		ch := sr.chart(gran, s.period, []seriesSpec{{name: "Visits"}}, []int{0})
		ch.Title = "Visits over time"
		if c.isNew != "" {
			ch = sr.chart(gran, s.period, series, []int{2, 3})
			ch.Title = "New vs returning visitors"
		}
		dash.Charts["over_time"] = ch
	}
	dash.RowsMatched = int64(cur.rows)
	// Compare only when the previous period has rows: an implied period
	// covering all the data has nothing before it to compare with.
	hp := s.hasPrev() && prev.rows > 0
	dash.KPIs = append(dash.KPIs, kpi("total_visitors", "Total Visitors", "number", defVisits, cur.rows, prev.rows, hp))
	if c.people.Has() {
		dash.KPIs = append(dash.KPIs,
			kpi("unique_visitors", "Unique Visitors", "number", defUniqueVisitors, pc.unique, pp.unique, hp),
			kpi("repeat_rate", "Repeat Visitor Rate", "percent", defRepeatVisitors, ratio(pc.repeat, pc.unique), ratio(pp.repeat, pp.unique), hp))
	} else if c.isNew != "" {
		dash.KPIs = append(dash.KPIs, kpi("repeat_rate", "Returning Visit Rate", "percent", defReturningVisits,
			ratio(ret[0], cur.rows), ratio(ret[1], prev.rows), hp))
	}
	if c.gender != "" {
		dash.KPIs = append(dash.KPIs, kpi("gender", "Gender Split", "text", defVisitorGender, genderSplit(cats["gender"], false), genderSplit(cats["gender"], true), hp))
	}
	addCategoryCharts(&dash, c, cats, false)
	return dash, nil
}

func visitorsMissing(c cols) []Missing {
	var m []Missing
	need := func(ok bool, feature, field, note string) {
		if !ok {
			m = append(m, Missing{feature, field, note})
		}
	}
	need(c.date != "", "Trends and period comparison", mapping.Date, "Map a Date column to see visits over time and changes vs the previous period.")
	need(c.person != "", "Unique and repeat visitors", mapping.VisitorID, "Map a Visitor ID or Email column to count unique and repeat visitors.")
	need(c.isNew != "", "New vs returning", mapping.IsNewVisitor, "Map a New visitor flag column to split new and returning visitors over time.")
	need(c.channel != "", "Channels chart", mapping.Channel, "Map a Channel or Source column to see top channels.")
	need(c.gender != "", "Gender", mapping.Gender, "Map a Gender column to see the gender split.")
	need(c.ageRange != "" || c.age != "", "Age distribution", mapping.AgeRange, "Map an Age range or Age column to see the age distribution.")
	need(c.income != "", "Income range", mapping.IncomeRange, "Map an Income range column to see income brackets.")
	need(c.state != "", "States", mapping.State, "Map a State column to see the states chart and map.")
	return m
}

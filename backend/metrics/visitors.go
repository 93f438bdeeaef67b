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
	dash := newDashboard(d)
	s, err := newScope(ctx, db, d, q.Filters)
	if err != nil {
		return dash, err
	}
	dash.Period = s.period
	c := resolve(d, mapping.VisitorID, mapping.Email, mapping.CustomerID)
	gran, err := granularity(q.Granularity, s.period)
	if err != nil {
		return dash, err
	}
	dash.Granularity = gran
	dash.Missing = visitorsMissing(c)

	var t tasks
	var cur, prev totals
	var pc, pp people
	var cats map[string][]catCount
	var ret [2]float64
	t.Go("totals", func() (err error) { cur, prev, err = totalsQuery(ctx, db, s, c); return })
	if c.person != "" {
		t.Go("visitors", func() (err error) { pc, pp, err = peopleQuery(ctx, db, s, c, false); return })
	} else if c.isNew != "" {
		t.Go("returning", func() (err error) { ret, err = returningVisits(ctx, db, s, c); return })
	}
	t.Go("categories", func() (err error) { cats, err = categories(ctx, db, s, dims(c), ""); return })
	if s.dateExpr != "" {
		t.Go("over time", func() error {
			specs := []seriesSpec{{"Visits", "COUNT(*)"}}
			exprs := "NULL AS n_"
			title := "Visits over time"
			if c.isNew != "" {
				specs = []seriesSpec{{"New", "COUNT(*) FILTER (WHERE n_)"}, {"Returning", "COUNT(*) FILTER (WHERE NOT n_)"}}
				exprs = c.isNew + " AS n_"
				title = "New vs returning visitors"
			}
			ch, err := timeSeries(ctx, db, s, gran, specs, exprs)
			ch.Title = title
			dash.Charts["over_time"] = ch
			return err
		})
	}
	if err := t.Wait(); err != nil {
		return dash, err
	}
	dash.RowsMatched = int64(cur.rows)
	hp := s.hasPrev()
	dash.KPIs = append(dash.KPIs, kpi("total_visitors", "Total Visitors", "number", defVisits, cur.rows, prev.rows, hp))
	if c.person != "" {
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

// returningVisits counts visits not flagged new in both periods.
func returningVisits(ctx context.Context, db *sql.DB, s scope, c cols) ([2]float64, error) {
	var b sqlb
	b.add("SELECT COUNT(*) FILTER (WHERE cur_ AND NOT n_), COUNT(*) FILTER (WHERE NOT cur_ AND NOT n_) ")
	s.from(&b, c.isNew+" AS n_")
	var cur, prev sql.NullFloat64
	err := db.QueryRowContext(ctx, b.String(), b.args...).Scan(&cur, &prev)
	return [2]float64{cur.Float64, prev.Float64}, err
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

package metrics

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"

	"leadnavigator/backend/engine"
	"leadnavigator/backend/filters"
)

// scanResult is everything one pass over the filtered rows of both periods
// yields: totals per period, counts per category value, the time series of
// the current period, and the extra series aggregates per period.
type scanResult struct {
	cur, prev totals
	cats      map[string][]catCount
	byBucket  map[string][]float64      // bucket start -> extra series values (current period)
	extra     [2][]float64              // extra series values over the whole current / previous period
	pos       map[string]map[string]int // dimension id -> value -> index in cats
}

// scan runs one GROUPING SETS query over the rows of both periods: the
// set (cur_, k0, k1, ...) gives every combination of dimension values,
// from which the totals and each dimension's breakdown are summed, and
// (cur_, b_) the time buckets. One table scan instead of one per KPI
// group and chart keeps a dashboard recompute cheap on big files.
// series are extra aggregates (e.g. new vs returning) over exprs' columns;
// they must be counts or sums, as they are summed again (see scanSQL).
func scan(ctx context.Context, db *sql.DB, s scope, c cols, ds []dim, gran string, series []seriesSpec, exprs string) (scanResult, error) {
	res := scanResult{cats: map[string][]catCount{}, byBucket: map[string][]float64{}, pos: map[string]map[string]int{}}
	n := len(ds)
	query, args, naggs := scanSQL(s, c, ds, gran, series, exprs)
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return res, err
	}
	defer rows.Close()
	for rows.Next() {
		var cur bool
		vals := make([]sql.NullString, n)
		var bucket sql.NullTime
		var gb int64
		agg := make([]sql.NullFloat64, naggs)
		ptrs := []any{&cur}
		for i := range vals {
			ptrs = append(ptrs, &vals[i])
		}
		ptrs = append(ptrs, &bucket, &gb)
		for i := range agg {
			ptrs = append(ptrs, &agg[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return res, err
		}
		res.add(ds, cur, vals, bucket, gb == 0, agg)
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	for id := range res.cats {
		sortCats(res.cats[id])
	}
	return res, nil
}

// scanSQL builds the statement of scan and tells how many aggregates each
// result row has. Grouping sets over millions of rows cost one hash
// aggregate per set, so the rows are grouped only twice: by every
// dimension together (a few thousand combinations) and by time bucket;
// scanResult.add sums the totals and each dimension's values from the
// combinations. Dimension labels (e.g. normalized gender) are applied to
// the grouped keys, not to every row. Each row is cur_, the labels, b_,
// gb_ (0 for a time bucket, 1 for a combination) and the aggregates.
func scanSQL(s scope, c cols, ds []dim, gran string, series []seriesSpec, exprs string) (string, []any, int) {
	n := len(ds)
	// Orders are rows with a revenue, or rows when order ids are known to
	// be unique (see ordersAreRows); otherwise the caller counts distinct
	// ids separately. hash() of a NULL id is not NULL, so every row counts
	// as an order then, and counting rows spares hashing every id.
	orders := "COUNT(r_)"
	if c.orderID != "" {
		orders = "COUNT(*)"
	}
	// New customers and their 90-day revenue only show with revenue KPIs;
	// reading the column costs a sixth of a scan otherwise wasted.
	newRevenue := ""
	if c.revenue != "" {
		newRevenue = c.people.New90
	}
	sel := []string{orNull(c.revenue) + " AS r_", orNull(c.refund) + " AS rf_", orNull(c.cost) + " AS co_", orNull(newRevenue) + " AS n90_"}
	if exprs != "" {
		sel = append(sel, exprs)
	}
	// With the dataset's dimension key the rows are grouped by one integer
	// and the groups take their values from its dictionary (dk_);
	// otherwise by each dimension's expression (k0, k1, ...).
	byKey := c.dims.Has() && len(c.dims.Values) == n
	keys := make([]string, 0, n)
	labels := make([]string, 0, n+1)
	if byKey {
		sel = append(sel, c.dims.Column+" AS kc_")
		keys = append(keys, "kc_")
	}
	for i, d := range ds {
		k := "k" + strconv.Itoa(i)
		if byKey {
			k = "dk_." + c.dims.Values[i]
		} else {
			sel = append(sel, d.key+" AS "+k)
			keys = append(keys, k)
		}
		l := k
		if d.label != nil {
			l = d.label(k)
		}
		labels = append(labels, "CAST("+l+" AS VARCHAR)")
	}
	withBuckets := s.dateExpr != "" && gran != ""
	fine := "(" + strings.Join(append([]string{"cur_"}, keys...), ", ") + ")"
	sets1 := []string{fine}
	if withBuckets {
		sel = append(sel, "date_trunc('"+gran+"', "+s.dateExpr+") AS b_") // gran is validated: day, week or month
		sets1 = append(sets1, "(cur_, b_)")
	}
	// The order matches the a* constants.
	aggs := []string{"COUNT(*)", "SUM(r_)", orders, "SUM(rf_)", "SUM(co_)", "COUNT(n90_)", "SUM(n90_)"}
	for _, sp := range series {
		aggs = append(aggs, sp.agg)
	}
	level1 := make([]string, len(aggs))
	as := make([]string, len(aggs))
	for i, a := range aggs {
		as[i] = "a" + strconv.Itoa(i) + "_"
		level1[i] = a + " AS " + as[i]
		as[i] = "CAST(" + as[i] + " AS DOUBLE)"
	}
	bucketCol := "NULL::TIMESTAMP AS b_"
	if withBuckets {
		bucketCol = "b_"
	}
	var b sqlb
	b.add("SELECT cur_, " + strings.Join(append(labels, "b_, gb_"), ", ") + ", " + strings.Join(as, ", "))
	b.add(" FROM (SELECT cur_, " + strings.Join(append(keys, bucketCol), ", "))
	if withBuckets {
		b.add(", GROUPING(b_) AS gb_")
	} else {
		b.add(", 1 AS gb_")
	}
	b.add(", " + strings.Join(level1, ", ") + " ")
	s.from(&b, strings.Join(sel, ", "))
	b.add(" GROUP BY GROUPING SETS (" + strings.Join(sets1, ", ") + ")) g_")
	if byKey {
		b.add(" LEFT JOIN " + c.dims.Dict + " dk_ ON g_.kc_ = dk_." + c.dims.IDColumn)
	}
	return b.String(), b.args, len(aggs)
}

// Positions of the fixed aggregates in a scan row; the caller's extra
// series follow them.
const (
	aRows = iota
	aRevenue
	aOrders
	aRefund
	aCost
	aNewPeople // people whose first purchase row is among the rows
	aNew90     // their revenue in the 90 days from that purchase
	nFixed
)

// add files one result row: a time bucket, or a combination of dimension
// values whose counts add to the totals and to each dimension's value.
func (r *scanResult) add(ds []dim, cur bool, vals []sql.NullString, bucket sql.NullTime, isBucket bool, agg []sql.NullFloat64) {
	f := make([]float64, len(agg))
	for i, a := range agg {
		f[i] = a.Float64
	}
	if isBucket {
		if cur && bucket.Valid {
			r.byBucket[day(bucket.Time)] = append([]float64{f[aRows], f[aRevenue]}, f[nFixed:]...)
		}
		return
	}
	for i := range ds {
		v := filters.Blank
		if vals[i].Valid && strings.TrimSpace(vals[i].String) != "" {
			v = vals[i].String
		}
		// An index per dimension keeps merging linear in the number of
		// combinations, however many values a dimension has.
		id := ds[i].id
		if r.pos[id] == nil {
			r.pos[id] = map[string]int{}
		}
		k, ok := r.pos[id][v]
		if !ok {
			k = len(r.cats[id])
			r.pos[id][v] = k
			r.cats[id] = append(r.cats[id], catCount{value: v})
		}
		cc := &r.cats[id][k]
		if cur {
			cc.rows += f[aRows]
			cc.revenue += f[aRevenue]
		} else {
			cc.prevRows += f[aRows]
			cc.prevRevenue += f[aRevenue]
		}
	}
	t, extra := &r.prev, &r.extra[1]
	if cur {
		t, extra = &r.cur, &r.extra[0]
	}
	t.rows += f[aRows]
	t.revenue += f[aRevenue]
	t.orders += f[aOrders]
	t.refund += f[aRefund]
	t.cost += f[aCost]
	t.newPeople += f[aNewPeople]
	t.new90 += f[aNew90]
	// extra stays nil for a period without rows, as callers test.
	if *extra == nil {
		*extra = make([]float64, len(f)-nFixed)
	}
	for i, v := range f[nFixed:] {
		(*extra)[i] += v
	}
}

// chart lays the time buckets out as a series chart; each spec picks its
// value by index into [rows, revenue, extra...].
func (r *scanResult) chart(gran string, p Period, specs []seriesSpec, index []int) Chart {
	picked := map[string][]float64{}
	for k, v := range r.byBucket {
		ys := make([]float64, len(index))
		for i, ix := range index {
			ys[i] = v[ix]
		}
		picked[k] = ys
	}
	return fillBuckets(picked, specs, gran, p)
}

// distinctOrders counts distinct order ids in each period (a distinct
// count does not combine with grouping sets, so it has its own query).
func distinctOrders(ctx context.Context, db *sql.DB, s scope, c cols) (cur, prev float64, err error) {
	var b sqlb
	b.add("SELECT COUNT(DISTINCT o_) FILTER (WHERE cur_), COUNT(DISTINCT o_) FILTER (WHERE NOT cur_) ")
	s.from(&b, c.orderID+" AS o_")
	var cv, pv sql.NullFloat64
	err = db.QueryRowContext(ctx, b.String(), b.args...).Scan(&cv, &pv)
	return cv.Float64, pv.Float64, err
}

// uniqueOrderIDs remembers, per dataset table and order column, whether
// every order id occurs once. Dataset tables never change after import, so
// the answer holds for the table's life and spares each recompute a
// distinct count.
var uniqueOrderIDs sync.Map

// ordersAreRows reports whether the order id column is unique per row
// (then orders = rows with an id), computing it once per table.
func ordersAreRows(ctx context.Context, db *sql.DB, table, orderExpr string) (bool, error) {
	key := table + "\x00" + orderExpr
	if v, ok := uniqueOrderIDs.Load(key); ok {
		return v.(bool), nil
	}
	var unique bool
	err := db.QueryRowContext(ctx, "SELECT COUNT("+orderExpr+") = COUNT(DISTINCT "+orderExpr+") FROM "+engine.QuoteIdent(table)).Scan(&unique)
	if err != nil {
		return false, err
	}
	uniqueOrderIDs.Store(key, unique)
	return unique, nil
}

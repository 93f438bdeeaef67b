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
	byBucket  map[string][]float64 // bucket start -> extra series values (current period)
	extra     [2][]float64         // extra series values over the whole current / previous period
}

// scan runs one GROUPING SETS query over the rows of both periods: the
// grouping set (cur_) gives the totals, (cur_, k<i>) the breakdown of each
// dimension, (cur_, b_) the time buckets. One table scan instead of one
// per KPI group and chart keeps a dashboard recompute cheap on big files.
// series are extra aggregates (e.g. new vs returning) over exprs' columns.
func scan(ctx context.Context, db *sql.DB, s scope, c cols, ds []dim, gran string, series []seriesSpec, exprs string) (scanResult, error) {
	res := scanResult{cats: map[string][]catCount{}, byBucket: map[string][]float64{}}
	n := len(ds)
	// Orders are rows with a revenue, or rows with an order id when order
	// ids are known to be unique (see uniqueOrders); otherwise the caller
	// counts distinct ids separately.
	orders := orNull(c.revenue)
	if c.orderID != "" {
		orders = c.orderID
	}
	sel := []string{orNull(c.revenue) + " AS r_", orNull(c.refund) + " AS rf_", orNull(c.cost) + " AS co_", orders + " AS o_"}
	if exprs != "" {
		sel = append(sel, exprs)
	}
	sets := []string{"(cur_)"}
	keys := make([]string, 0, n+1)
	for i, d := range ds {
		k := "k" + strconv.Itoa(i)
		sel = append(sel, "CAST("+d.expr+" AS VARCHAR) AS "+k)
		sets = append(sets, "(cur_, "+k+")")
		keys = append(keys, k)
	}
	withBuckets := s.dateExpr != "" && gran != ""
	if withBuckets {
		sel = append(sel, "date_trunc('"+gran+"', "+s.dateExpr+") AS b_") // gran is validated: day, week or month
		sets = append(sets, "(cur_, b_)")
		keys = append(keys, "b_")
	} else {
		keys = append(keys, "NULL::DATE")
	}
	groupings := make([]string, 0, len(keys))
	for _, k := range keys[:n] {
		groupings = append(groupings, "GROUPING("+k+")")
	}
	if withBuckets {
		groupings = append(groupings, "GROUPING(b_)")
	} else {
		groupings = append(groupings, "1")
	}
	aggs := []string{"COUNT(*)", "SUM(r_)", "COUNT(o_)", "SUM(rf_)", "SUM(co_)"}
	for _, sp := range series {
		aggs = append(aggs, sp.agg)
	}
	var b sqlb
	b.add("SELECT cur_, " + strings.Join(keys, ", ") + ", " + strings.Join(groupings, ", ") + ", " + strings.Join(aggs, ", ") + " ")
	s.from(&b, strings.Join(sel, ", "))
	b.add(" GROUP BY GROUPING SETS (" + strings.Join(sets, ", ") + ")")
	rows, err := db.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return res, err
	}
	defer rows.Close()
	for rows.Next() {
		var cur bool
		vals := make([]sql.NullString, n)
		var bucket sql.NullTime
		grp := make([]int64, n+1)
		agg := make([]sql.NullFloat64, len(aggs))
		ptrs := []any{&cur}
		for i := range vals {
			ptrs = append(ptrs, &vals[i])
		}
		ptrs = append(ptrs, &bucket)
		for i := range grp {
			ptrs = append(ptrs, &grp[i])
		}
		for i := range agg {
			ptrs = append(ptrs, &agg[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return res, err
		}
		res.add(ds, cur, vals, bucket, grp, agg)
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	for id := range res.cats {
		sortCats(res.cats[id])
	}
	return res, nil
}

// add files one result row under totals, a category or a time bucket.
func (r *scanResult) add(ds []dim, cur bool, vals []sql.NullString, bucket sql.NullTime, grp []int64, agg []sql.NullFloat64) {
	f := make([]float64, len(agg))
	for i, a := range agg {
		f[i] = a.Float64
	}
	extra := f[5:]
	for i := range ds {
		if grp[i] != 0 {
			continue
		}
		v := filters.Blank
		if vals[i].Valid && strings.TrimSpace(vals[i].String) != "" {
			v = vals[i].String
		}
		cc := catCount{value: v}
		if cur {
			cc.rows, cc.revenue = f[0], f[1]
		} else {
			cc.prevRows, cc.prevRevenue = f[0], f[1]
		}
		r.cats[ds[i].id] = mergeCat(r.cats[ds[i].id], cc)
		return
	}
	if grp[len(ds)] == 0 { // a time bucket
		if cur && bucket.Valid {
			r.byBucket[day(bucket.Time)] = append([]float64{f[0], f[1]}, extra...)
		}
		return
	}
	t := totals{rows: f[0], revenue: f[1], orders: f[2], refund: f[3], cost: f[4]}
	if cur {
		r.cur, r.extra[0] = t, extra
	} else {
		r.prev, r.extra[1] = t, extra
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

package metrics

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"time"

	"leadnavigator/backend/engine"
	"leadnavigator/backend/filters"
)

// totals are the numeric aggregates of one period.
type totals struct {
	rows, revenue, orders, refund, cost float64
}

func orNull(expr string) string {
	if expr == "" {
		return "NULL::DOUBLE"
	}
	return expr
}

// people are the per-person aggregates of one period.
type people struct {
	unique, repeat, newOnes float64
	ltv                     any // average 90-day revenue of people first seen in the period; nil when none
}

// peopleQuery groups the rows matching the value filters by person (over
// all dates, since "new" and "90 days after the first purchase" look
// outside the period) and counts unique, repeat and new people of both
// periods, plus the 90-day LTV when withLTV.
func peopleQuery(ctx context.Context, db *sql.DB, s scope, c cols, withLTV bool) (cur, prev people, err error) {
	query, args := peopleSQL(s, c, withLTV)
	var v [12]sql.NullFloat64
	ptrs := make([]any, len(v))
	for i := range v {
		ptrs[i] = &v[i]
	}
	if err := db.QueryRowContext(ctx, query, args...).Scan(ptrs...); err != nil {
		return cur, prev, err
	}
	// The LTV is the 90-day revenue of the new people over their number;
	// it is summed in two parts (see peopleSQL), and nil when nobody is new.
	ltv := func(n, short, long sql.NullFloat64) any {
		if !withLTV || n.Float64 == 0 {
			return nil
		}
		return (short.Float64 + long.Float64) / n.Float64
	}
	cur = people{unique: nf(v[0]), repeat: nf(v[1]), newOnes: nf(v[4]), ltv: ltv(v[6], v[8], v[10])}
	prev = people{unique: nf(v[2]), repeat: nf(v[3]), newOnes: nf(v[5]), ltv: ltv(v[7], v[9], v[11])}
	return cur, prev, nil
}

// peopleSQL builds the statement of peopleQuery. Its 12 columns are the
// unique and repeat people of each period, the new people of each period,
// then for the LTV (NULL without it) the number of new people, the revenue
// of those whose rows all fall within 90 days of the first, and the 90-day
// revenue of the others, each for the current and the previous period.
func peopleSQL(s scope, c cols, withLTV bool) (string, []any) {
	date := "NULL::DATE"
	if s.dateExpr != "" {
		date = s.dateExpr
	}
	withLTV = withLTV && s.dateExpr != "" && c.revenue != ""
	var b sqlb
	// base and per are each read twice with the LTV; materializing them
	// keeps the table scan and the per-person grouping to one pass each.
	b.add("WITH base AS MATERIALIZED (SELECT " + c.personKey + " AS p_, " + date + " AS d_, " + orNull(c.revenue) + " AS r_, (")
	b.add(s.cur.sql, s.cur.args...)
	b.add(") AS c_, (")
	b.add(s.prev.sql, s.prev.args...)
	b.add(") AS v_ FROM " + engine.QuoteIdent(s.table) + " WHERE ")
	b.add("("+s.values.sql+")", s.values.args...)
	// Testing the raw column (not its hash) lets DuckDB skip NULLs in the scan.
	b.add(" AND " + c.personCol + " IS NOT NULL), ")
	// Besides first date and counts, per keeps each person's last date and
	// total dated revenue: when all of a person's dated rows fall within 90 days of the
	// first, the total is their 90-day revenue, and only the (few) people
	// buying over a longer span need their rows summed again.
	b.add("per AS MATERIALIZED (SELECT p_, MIN(d_) AS fd, MAX(d_) AS ld, SUM(COALESCE(r_, 0)) FILTER (WHERE d_ IS NOT NULL) AS tot, COUNT(*) FILTER (WHERE c_) AS nc," +
		" COUNT(*) FILTER (WHERE v_) AS np FROM base GROUP BY p_)")
	since := s.period.PreviousFrom
	if since == "" {
		since = "0001-01-01"
	}
	curFD, prevFD := s.curOn("fd"), s.prevOn("fd")
	if withLTV {
		// Only people first seen in one of the two periods need their
		// 90-day revenue; their rows are on or after their first date.
		// The sums per period are taken here directly rather than joined
		// back to per (a join of every person).
		b.add(", l AS (SELECT SUM(COALESCE(b.r_, 0)) FILTER (WHERE n.nc_), SUM(COALESCE(b.r_, 0)) FILTER (WHERE n.np_) FROM base b")
		b.add(" JOIN (SELECT p_, fd, (nc > 0 AND (").add(curFD.sql, curFD.args...).add(")) AS nc_, (np > 0 AND (").add(prevFD.sql, prevFD.args...).add(")) AS np_")
		b.add(" FROM per WHERE fd >= CAST(? AS DATE) AND ld >= fd + 90 AND (nc > 0 OR np > 0)) n USING (p_)"+
			" WHERE b.d_ >= CAST(? AS DATE) AND b.d_ < n.fd + 90)", since, since)
	}
	b.add(" SELECT * FROM (SELECT COUNT(*) FILTER (WHERE nc > 0), COUNT(*) FILTER (WHERE nc > 1), COUNT(*) FILTER (WHERE np > 0), COUNT(*) FILTER (WHERE np > 1)")
	// People without any dated row have no first purchase: never "new".
	b.add(", COUNT(*) FILTER (WHERE nc > 0 AND fd IS NOT NULL AND (").add(curFD.sql, curFD.args...).add("))")
	b.add(", COUNT(*) FILTER (WHERE np > 0 AND fd IS NOT NULL AND (").add(prevFD.sql, prevFD.args...).add("))")
	if withLTV {
		// The LTV's people: first seen in the period, with a row in it.
		ltvSet := func(n string, fd pred) {
			b.add(", COUNT(*) FILTER (WHERE "+n+" > 0 AND fd >= CAST(? AS DATE) AND (", since).add(fd.sql, fd.args...).add("))")
		}
		ltvSet("nc", curFD)
		ltvSet("np", prevFD)
		shortSum := func(n string, fd pred) {
			b.add(", SUM(tot) FILTER (WHERE ld < fd + 90 AND "+n+" > 0 AND fd >= CAST(? AS DATE) AND (", since).add(fd.sql, fd.args...).add("))")
		}
		shortSum("nc", curFD)
		shortSum("np", prevFD)
		b.add(" FROM per), l")
	} else {
		b.add(", NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE FROM per), (SELECT NULL::DOUBLE, NULL::DOUBLE)")
	}
	return b.String(), b.args
}

// seriesSpec is one aggregate of the time series.
type seriesSpec struct{ name, agg string }

// fillBuckets lays the buckets out on a continuous axis over the period so
// that days without rows show as zero instead of being skipped.
func fillBuckets(byBucket map[string][]float64, specs []seriesSpec, gran string, p Period) Chart {
	ch := Chart{Type: "timeseries"}
	for _, sp := range specs {
		ch.Series = append(ch.Series, Series{Name: sp.name, Y: []float64{}})
	}
	ch.X = []string{}
	keys := bucketsOf(p, gran)
	if keys == nil { // no period known: just the buckets that have rows
		for k := range byBucket {
			keys = append(keys, k)
		}
		sort.Strings(keys)
	}
	for _, k := range keys {
		ch.X = append(ch.X, k)
		ys := byBucket[k]
		for i := range ch.Series {
			y := 0.0
			if ys != nil {
				y = ys[i]
			}
			ch.Series[i].Y = append(ch.Series[i].Y, y)
		}
	}
	return ch
}

// maxBuckets caps the filled axis (10 years of days).
const maxBuckets = 3700

// bucketsOf lists the bucket starts (as DuckDB's date_trunc gives them) of a period.
func bucketsOf(p Period, gran string) []string {
	from, err1 := time.Parse(filters.DateLayout, p.From)
	to, err2 := time.Parse(filters.DateLayout, p.To)
	if err1 != nil || err2 != nil {
		return nil
	}
	switch gran {
	case "week": // ISO weeks start on Monday
		from = from.AddDate(0, 0, -((int(from.Weekday()) + 6) % 7))
	case "month":
		from = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	var out []string
	for t := from; !t.After(to) && len(out) < maxBuckets; {
		out = append(out, day(t))
		switch gran {
		case "week":
			t = t.AddDate(0, 0, 7)
		case "month":
			t = t.AddDate(0, 1, 0)
		default:
			t = t.AddDate(0, 0, 1)
		}
	}
	return out
}

// dim is one categorical breakdown of the categories query: rows are
// grouped by key, and each group's value is label(key) (key itself when
// label is nil). label must be a function of the key's value alone.
type dim struct {
	id    string
	key   string
	label func(string) string
}

// category counts of one dimension value.
type catCount struct {
	value                 string
	rows, revenue         float64
	prevRows, prevRevenue float64
}

func sortCats(list []catCount) {
	sort.Slice(list, func(i, j int) bool {
		if list[i].rows != list[j].rows {
			return list[i].rows > list[j].rows
		}
		return list[i].value < list[j].value
	})
}

// top is the most frequent non-blank value of the current (or previous) period.
func top(list []catCount, previous bool) any {
	best, bestN := "", 0.0
	for _, c := range list {
		n := c.rows
		if previous {
			n = c.prevRows
		}
		if c.value == filters.Blank || n == 0 {
			continue
		}
		if n > bestN || (n == bestN && c.value < best) {
			best, bestN = c.value, n
		}
	}
	if bestN == 0 {
		return nil
	}
	return best
}

// barChart is the top limit values of a dimension as a bar chart.
func barChart(title string, list []catCount, limit int, column string, byRevenue bool) Chart {
	ch := Chart{Title: title, Type: "bar", X: []string{}, Column: column, Format: "number"}
	items := append([]catCount(nil), list...)
	if byRevenue {
		sort.SliceStable(items, func(i, j int) bool { return items[i].revenue > items[j].revenue })
		ch.Format = "currency"
	}
	ys, counts := []float64{}, []float64{}
	for _, c := range items {
		if c.rows == 0 {
			continue
		}
		if limit > 0 && len(ch.X) == limit {
			break
		}
		ch.X = append(ch.X, c.value)
		ys = append(ys, c.revenue)
		counts = append(counts, c.rows)
	}
	if byRevenue {
		ch.Series = []Series{{Name: "Revenue", Y: ys}, {Name: "Rows", Y: counts}}
	} else {
		ch.Series = []Series{{Name: "Rows", Y: counts}}
	}
	return ch
}

// orderedChart is every value of a dimension in natural label order
// (age and income brackets read left to right).
func orderedChart(title, typ string, list []catCount, column string) Chart {
	items := []catCount{}
	for _, c := range list {
		if c.rows > 0 {
			items = append(items, c)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return naturalLess(items[i].value, items[j].value) })
	ch := Chart{Title: title, Type: typ, X: []string{}, Column: column, Format: "number"}
	ys := []float64{}
	for _, c := range items {
		ch.X = append(ch.X, c.value)
		ys = append(ys, c.rows)
	}
	ch.Series = []Series{{Name: "Rows", Y: ys}}
	return ch
}

// naturalLess orders "$25k-$50k" before "$100k+" by the first number in
// the label (ignoring thousands separators); Blank goes last.
func naturalLess(a, b string) bool {
	if (a == filters.Blank) != (b == filters.Blank) {
		return b == filters.Blank
	}
	na, oka := firstNumber(a)
	nb, okb := firstNumber(b)
	switch {
	case oka && okb && na != nb:
		return na < nb
	case oka != okb:
		return oka
	}
	return a < b
}

func firstNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	start := strings.IndexAny(s, "0123456789")
	if start < 0 {
		return 0, false
	}
	end := start
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	n, err := strconv.ParseFloat(s[start:end], 64)
	if err != nil {
		return 0, false
	}
	if start > 0 && s[start-1] == '<' { // "<18" sorts before "18-24"
		n -= 0.5
	}
	if end < len(s) && (s[end] == 'k' || s[end] == 'K') {
		n *= 1000
	} else if end < len(s) && (s[end] == 'm' || s[end] == 'M') {
		n *= 1000000
	}
	return n, true
}

// ageBuckets groups a numeric age into the usual brackets.
func ageBuckets(age string) string {
	return "CASE WHEN " + age + " IS NULL THEN NULL WHEN " + age + " < 18 THEN '<18' WHEN " + age + " < 25 THEN '18-24' WHEN " +
		age + " < 35 THEN '25-34' WHEN " + age + " < 45 THEN '35-44' WHEN " + age + " < 55 THEN '45-54' WHEN " +
		age + " < 65 THEN '55-64' ELSE '65+' END"
}

// genderSplit is the "Gender %" text, e.g. "54% F · 44% M · 2% other".
func genderSplit(list []catCount, previous bool) any {
	var total float64
	by := map[string]float64{}
	for _, c := range list {
		n := c.rows
		if previous {
			n = c.prevRows
		}
		if c.value == filters.Blank {
			continue
		}
		by[c.value] += n
		total += n
	}
	if total == 0 {
		return nil
	}
	pct := func(v string) string { return strconv.FormatFloat(by[v]/total*100, 'f', 0, 64) + "%" }
	out := pct("Female") + " F · " + pct("Male") + " M"
	if by["Other"] > 0 {
		out += " · " + pct("Other") + " other"
	}
	return out
}

// genderShare is the share of one gender among rows with a gender.
func genderShare(list []catCount, gender string, previous bool) any {
	var total, n float64
	for _, c := range list {
		v := c.rows
		if previous {
			v = c.prevRows
		}
		if c.value == filters.Blank {
			continue
		}
		total += v
		if c.value == gender {
			n += v
		}
	}
	return ratio(n, total)
}

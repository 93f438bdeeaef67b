package metrics

import (
	"context"
	"database/sql"
	"leadnavigator/backend/rowindex"
	"sort"
	"strconv"
	"strings"
	"time"

	"leadnavigator/backend/filters"
)

// totals are the numeric aggregates of one period.
type totals struct {
	rows, revenue, orders, refund, cost float64
	newPeople, new90                    float64 // see rowindex.PeopleIndex
}

func orNull(expr string) string {
	if expr == "" {
		return "NULL::DOUBLE"
	}
	return expr
}

// headcount is the unique and repeat people of one period.
type headcount struct {
	unique, repeat float64
}

// peopleCounts counts the unique and repeat people among the rows of each
// period of s, through the person index column personIdx: a row whose
// index is 0 is a person on their own, and only the rows of people with
// several rows in the file are grouped.
func peopleCounts(ctx context.Context, db *sql.DB, s scope, personIdx string) (cur, prev headcount, err error) {
	var b sqlb
	b.add("SELECT SUM(CASE WHEN p_ = 0 THEN nc ELSE CAST(nc > 0 AS BIGINT) END), COUNT(*) FILTER (WHERE p_ > 0 AND nc > 1)," +
		" SUM(CASE WHEN p_ = 0 THEN np ELSE CAST(np > 0 AS BIGINT) END), COUNT(*) FILTER (WHERE p_ > 0 AND np > 1)" +
		" FROM (SELECT p_, COUNT(*) FILTER (WHERE cur_) AS nc, COUNT(*) FILTER (WHERE NOT cur_) AS np ")
	s.from(&b, personIdx+" AS p_", personIdx+" IS NOT NULL")
	b.add(" GROUP BY p_)")
	var v [4]sql.NullFloat64
	if err := db.QueryRowContext(ctx, b.String(), b.args...).Scan(&v[0], &v[1], &v[2], &v[3]); err != nil {
		return cur, prev, err
	}
	return headcount{unique: nf(v[0]), repeat: nf(v[1])}, headcount{unique: nf(v[2]), repeat: nf(v[3])}, nil
}

// uniquePeople counts the unique people among the rows of each period of
// s in one pass without grouping: rows whose person index is 0 are people
// on their own, and the others set the bit of their dense id in a bitmap
// (DuckDB's bitstring_agg) whose set bits are then counted.
func uniquePeople(ctx context.Context, db *sql.DB, s scope, ix rowindex.PeopleIndex) (cur, prev float64, err error) {
	var b sqlb
	b.add("SELECT COUNT(*) FILTER (WHERE p_ = 0 AND cur_), COUNT(*) FILTER (WHERE p_ = 0 AND NOT cur_)")
	if ix.Multi > 0 {
		bits := "bit_count(bitstring_agg(p_, 1, " + strconv.FormatInt(ix.Multi, 10) + ") FILTER (WHERE p_ > 0 AND "
		b.add(", " + bits + "cur_)), " + bits + "NOT cur_))")
	} else {
		b.add(", 0, 0")
	}
	b.add(" ")
	s.from(&b, ix.Person+" AS p_", ix.Person+" IS NOT NULL")
	var v [4]sql.NullFloat64
	if err := db.QueryRowContext(ctx, b.String(), b.args...).Scan(&v[0], &v[1], &v[2], &v[3]); err != nil {
		return 0, 0, err
	}
	return nf(v[0]) + nf(v[2]), nf(v[1]) + nf(v[3]), nil
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

package assistant

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/rag"
)

// Refusal is the offline planner saying it cannot answer, with why and
// what it can answer instead.
type Refusal struct {
	Reason      string
	Suggestions []string
}

func (r *Refusal) Error() string { return r.Reason }

// Suggestions are question shapes the offline planner understands.
var Suggestions = []string{
	"Top 5 states by revenue",
	"Gender split of buyers in Texas",
	"AOV by channel last quarter",
	"Monthly orders this year vs last year",
	"Refund rate by campaign",
	"How many buyers from paid search in NY?",
}

func refuse(format string, args ...any) error {
	return &Refusal{Reason: fmt.Sprintf(format, args...), Suggestions: Suggestions}
}

// PlanContext is what the offline planner knows besides the question.
type PlanContext struct {
	Dataset datasets.Dataset
	Dict    *rag.Dictionary
	// Fuzzy maps a word that matched nothing exactly to a value by vector
	// similarity; nil disables it.
	Fuzzy func(word string) (rag.Match, bool)
	Clock Clock
	Views []SavedView
}

// offline holds one question being planned.
type offline struct {
	ts      tokens
	ctx     PlanContext
	cols    map[string]string
	plan    Plan
	metrics []Metric // candidates, best first after pick
	which   bool     // "which state ..." asks for one group
	compare bool     // "this year vs last year"

	viewFrom, viewTo string // a named saved view's period
}

// PlanOffline turns a plain-English question into a plan without any
// network, or refuses with suggestions. It never guesses: a word it
// cannot explain is a refusal.
func PlanOffline(question string, pc PlanContext) (Plan, error) {
	o := &offline{ts: tokenize(question), ctx: pc, cols: columnWords(pc.Dataset)}
	if len(o.ts) == 0 {
		return Plan{}, refuse("Ask a question about this dataset.")
	}
	steps := []func() error{o.unsupported, o.ignoreFilters, o.savedView, o.timeRange, o.buckets, o.ranking, o.numericRanges,
		o.compoundMetrics, o.aggregations, o.namedMetrics, o.groupings, o.values, o.countOf, o.pickMetric}
	for _, step := range steps {
		if err := step(); err != nil {
			return Plan{}, err
		}
	}
	if left := o.ts.leftovers(); len(left) > 0 {
		return Plan{}, refuse("I can't answer that offline: I don't know what %q means for this dataset.", strings.Join(left, " "))
	}
	o.finish()
	if err := Validate(o.plan, pc.Dataset); err != nil {
		return Plan{}, refuse("I can't answer that offline: %s.", strings.TrimPrefix(err.Error(), ErrInvalidPlan.Error()+": "))
	}
	return o.plan, nil
}

// unsupported refuses questions about causes, predictions and advice,
// which no aggregate query answers.
func (o *offline) unsupported() error {
	for _, t := range o.ts {
		switch t.low {
		case "why", "predict", "forecast", "will", "should", "recommend", "correlation", "correlate", "median", "percentile":
			return refuse("I can't answer %q questions offline: I can count, sum, average and rank the rows of this dataset.", t.orig)
		}
	}
	return nil
}

// savedView applies a saved view named in the question ("in the Texas
// women view", "using view Q1 email"): its filters, and its dates unless
// the question gives its own period.
func (o *offline) savedView() error {
	for _, v := range o.ctx.Views {
		name := strings.Fields(tokensLow(v.Name))
		if len(name) == 0 {
			continue
		}
		for i := range o.ts {
			if !o.ts.at(i, name...) {
				continue
			}
			n := len(name)
			switch {
			case o.ts.at(i+n, "view") || o.ts.at(i+n, "segment"):
				o.ts.take(i, n+1)
			case o.ts.at(i-1, "view"):
				o.ts.take(i-1, n+1)
			case o.ts.at(i-2, "saved", "view"):
				o.ts.take(i-2, n+2)
			default:
				continue
			}
			o.ts.takeAny("saved")
			o.plan.Filters = append(o.plan.Filters, v.Filters...)
			o.viewFrom, o.viewTo = v.DateFrom, v.DateTo
			return nil
		}
	}
	return nil
}

// tokensLow is a name as the tokenizer sees it.
func tokensLow(s string) string {
	var out []string
	for _, t := range tokenize(s) {
		out = append(out, t.low)
	}
	return strings.Join(out, " ")
}

func (o *offline) ignoreFilters() error {
	o.ts.takeAny("year olds", "years old", "year old")
	if o.ts.takeAny("ignoring the dashboard filters", "ignoring the filters", "ignoring filters", "ignore the filters",
		"ignore filters", "without the filters", "without filters", "regardless of filters", "unfiltered", "all data",
		"whole dataset", "entire dataset") {
		o.plan.IgnoreActiveFilters = true
	}
	return nil
}

func (o *offline) buckets() error {
	table := []struct {
		bucket  string
		phrases []string
	}{
		{"day", []string{"daily", "per day", "by day", "each day", "day by day"}},
		{"week", []string{"weekly", "per week", "by week", "each week", "week by week", "week over week"}},
		{"month", []string{"monthly", "per month", "by month", "each month", "month by month", "month over month", "over time", "trend", "trends"}},
		{"quarter", []string{"quarterly", "per quarter", "by quarter", "each quarter", "quarter by quarter"}},
		{"year", []string{"yearly", "annually", "annual", "per year", "by year", "each year"}},
	}
	for _, b := range table {
		if !o.ts.takeAny(b.phrases...) {
			continue
		}
		col := o.ctx.Dataset.Mapping[mapping.Date]
		if col == "" {
			return refuse("Grouping by %s needs a date column mapped to the Date field.", b.bucket)
		}
		bucket := b.bucket
		if o.compare && bucket == "month" {
			bucket = "month_of_year"
		}
		o.plan.GroupBy = append(o.plan.GroupBy, GroupBy{Column: col, Bucket: bucket})
		break
	}
	if o.compare {
		col := o.ctx.Dataset.Mapping[mapping.Date]
		if len(o.plan.GroupBy) == 0 {
			o.plan.GroupBy = append(o.plan.GroupBy, GroupBy{Column: col, Bucket: "month_of_year"})
		}
		o.plan.GroupBy = append(o.plan.GroupBy, GroupBy{Column: col, Bucket: "year"})
	}
	return nil
}

var rankWords = struct{ most, least []string }{
	most:  []string{"the most", "most", "the highest", "highest", "the largest", "largest", "the biggest", "biggest", "the best", "best", "the greatest", "greatest", "more", "top"},
	least: []string{"the least", "least", "the lowest", "lowest", "the smallest", "smallest", "the fewest", "fewest", "the worst", "worst"},
}

// ranking reads "top 5 states", "bottom 3 campaigns", "which channel ... most", "most common age range".
func (o *offline) ranking() error {
	for i := range o.ts {
		for _, r := range []struct {
			word string
			sort string
		}{{"top", "value_desc"}, {"bottom", "value_asc"}, {"worst", "value_asc"}, {"lowest", "value_asc"}, {"best", "value_desc"}} {
			if !o.ts.at(i, r.word) {
				continue
			}
			n, j := 10, i+1
			if o.ts.at(j, "#") {
				n, _ = strconv.Atoi(o.ts[j].low)
				j++
			}
			if col, k := matchColumn(o.ts, j, o.cols); col != "" {
				o.ts.take(i, j+k-i)
				o.group(col)
				o.plan.Sort, o.plan.Limit = r.sort, n
			}
		}
	}
	for _, r := range []struct {
		phrase, sort string
	}{{"most common", "value_desc"}, {"most popular", "value_desc"}, {"most frequent", "value_desc"}, {"least common", "value_asc"}, {"least popular", "value_asc"}} {
		if i := o.ts.find(strings.Fields(r.phrase)...); i >= 0 {
			if col, k := matchColumn(o.ts, i+2, o.cols); col != "" {
				o.ts.take(i, 2+k)
				o.group(col)
				o.plan.Sort, o.plan.Limit = r.sort, 1
				o.metrics = append(o.metrics, Metric{Op: OpCount})
			}
		}
	}
	return o.whichColumn()
}

// whichColumn reads "which state has the most buyers" / "what campaign brought the least revenue".
func (o *offline) whichColumn() error {
	for _, w := range []string{"which", "what"} {
		i := o.ts.find(w)
		if i < 0 {
			continue
		}
		col, k := matchColumn(o.ts, i+1, o.cols)
		if col == "" {
			continue
		}
		o.ts.take(i, 1+k)
		o.group(col)
		o.which = true
		if o.ts.takeAny(rankWords.least...) {
			o.plan.Sort, o.plan.Limit = "value_asc", 1
		} else if o.ts.takeAny(rankWords.most...) {
			o.plan.Sort, o.plan.Limit = "value_desc", 1
		}
		return nil
	}
	return nil
}

func (o *offline) group(col string) {
	// "by age" over a numeric age makes one group per year of age; the
	// age range column is what people mean when the dataset has both.
	m := o.ctx.Dataset.Mapping
	if col == m[mapping.Age] && m[mapping.AgeRange] != "" {
		col = m[mapping.AgeRange]
	}
	for _, g := range o.plan.GroupBy {
		if g.Column == col && g.Bucket == "" {
			return
		}
	}
	o.plan.GroupBy = append(o.plan.GroupBy, GroupBy{Column: col})
}

// numericRanges reads "orders over $100", "revenue between 50 and 100", "refund above 0".
func (o *offline) numericRanges() error {
	ops := []struct {
		phrase, op string
	}{{"more than", "gt"}, {"greater than", "gt"}, {"over", "gt"}, {"above", "gt"}, {"at least", "gte"},
		{"less than", "lt"}, {"under", "lt"}, {"below", "lt"}, {"at most", "lte"}, {"between", "between"}}
	for i := range o.ts {
		col, k := o.rangeSubject(i)
		if col == "" {
			continue
		}
		for _, op := range ops {
			words := strings.Fields(op.phrase)
			j := i + k
			if !o.ts.at(j, words...) || !o.ts.at(j+len(words), "#") {
				continue
			}
			vals := []string{o.ts[j+len(words)].low}
			n := j + len(words) + 1 - i
			if op.op == "between" {
				if !o.ts.at(j+len(words)+1, "and", "#") {
					continue
				}
				vals, n = append(vals, o.ts[j+len(words)+2].low), n+2
			}
			o.ts.take(i, n)
			o.plan.Filters = append(o.plan.Filters, Filter{Column: col, Op: op.op, Values: vals})
			break
		}
	}
	return nil
}

// rangeSubject is the numeric column a range applies to: a numeric
// column's words, or "orders"/"purchases" meaning the order's revenue.
func (o *offline) rangeSubject(i int) (string, int) {
	if col, k := matchColumn(o.ts, i, o.cols); col != "" {
		if c, _ := column(o.ctx.Dataset, col); isNumeric(c.Type) {
			return col, k
		}
		return "", 0
	}
	if o.ts.at(i, "orders") || o.ts.at(i, "purchases") || o.ts.at(i, "order") || o.ts.at(i, "purchase") {
		if rev := o.ctx.Dataset.Mapping[mapping.Revenue]; rev != "" {
			o.metrics = append(o.metrics, Metric{Op: OpCount})
			return rev, 1
		}
	}
	return "", 0
}

var namedMetricPhrases = []struct {
	op      string
	phrases []string
}{
	{OpAOV, []string{"average order value", "avg order value", "average order size", "average basket size", "average basket", "aov", "average revenue per order", "revenue per order", "average spend per order"}},
	{OpRefundRate, []string{"refund rate", "refund rates", "return rate", "refund ratio", "refund percentage"}},
	{OpNetRevenue, []string{"net revenue", "net sales"}},
	{OpROAS, []string{"roas", "return on ad spend"}},
	{OpRefunds, []string{"total refunds", "total refund", "refund amount", "refunds", "refunded", "refund"}},
	{OpCost, []string{"ad spend", "total cost", "costs", "cost", "spend"}},
	{OpRevenue, []string{"total revenue", "gross revenue", "total sales", "revenue", "sales", "how much money", "money", "earned", "made"}},
	{OpPeople, []string{"unique buyers", "distinct buyers", "unique customers", "distinct customers", "unique people", "unique emails", "distinct emails", "unique visitors", "buyers", "buyer", "customers", "customer", "people", "persons", "individuals", "shoppers", "visitors", "users"}},
	{OpCount, []string{"orders", "order", "purchases", "purchase", "conversions", "conversion", "transactions", "rows", "records", "leads", "visits", "count"}},
}

// compoundMetrics reads ratio metrics first, so "average order value" is
// not read as "average" of "order value".
func (o *offline) compoundMetrics() error { return o.metricPhrases(namedMetricPhrases[:4]) }

// namedMetrics reads business metric words; several may appear ("revenue
// of buyers"), the strongest wins in pickMetric.
func (o *offline) namedMetrics() error { return o.metricPhrases(namedMetricPhrases[4:]) }

func (o *offline) metricPhrases(list []struct {
	op      string
	phrases []string
}) error {
	for _, nm := range list {
		if !o.fieldsMapped(nm.op) {
			continue
		}
		for o.ts.takeAny(nm.phrases...) {
			o.metrics = append(o.metrics, Metric{Op: nm.op})
		}
	}
	return nil
}

func (o *offline) fieldsMapped(op string) bool {
	for _, f := range fieldsNeeded(op) {
		if o.ctx.Dataset.Mapping[f] == "" {
			return false
		}
	}
	if op == OpPeople {
		return personColumn(o.ctx.Dataset) != ""
	}
	return true
}

// aggregations reads "average X", "total X", "max X", "distinct X" over any column.
func (o *offline) aggregations() error {
	aggs := []struct {
		op      string
		phrases []string
	}{
		{OpAvg, []string{"average", "avg", "mean"}},
		{OpSum, []string{"sum of", "sum", "total"}},
		{OpMax, []string{"maximum", "max", "largest", "biggest", "highest"}},
		{OpMin, []string{"minimum", "min", "smallest", "lowest"}},
		{OpCountDistinct, []string{"distinct", "unique", "different", "number of distinct", "number of unique"}},
	}
	for _, a := range aggs {
		for _, p := range a.phrases {
			words := strings.Fields(p)
			i := o.ts.find(words...)
			if i < 0 {
				continue
			}
			col, k := matchColumn(o.ts, i+len(words), o.cols)
			if col == "" {
				continue
			}
			o.ts.take(i, len(words)+k)
			o.metrics = append([]Metric{{Op: a.op, Column: col}}, o.metrics...)
		}
	}
	return nil
}

// groupings reads "by X", "per X", "for each X", "X split", "split by X".
func (o *offline) groupings() error {
	for i := range o.ts {
		for _, lead := range []string{"by", "per", "each", "across", "for each", "split by", "broken down by", "breakdown by", "grouped by", "group by"} {
			words := strings.Fields(lead)
			if !o.ts.at(i, words...) {
				continue
			}
			if col, k := matchColumn(o.ts, i+len(words), o.cols); col != "" {
				o.ts.take(i, len(words)+k)
				o.group(col)
				// "by age range and gender"
				j := i + len(words) + k
				if col2, k2 := matchColumn(o.ts, j+1, o.cols); col2 != "" && o.ts.at(j, "and") {
					o.ts.take(j, 1+k2)
					o.group(col2)
				}
			}
		}
	}
	for i := range o.ts {
		col, k := matchColumn(o.ts, i, o.cols)
		if col == "" {
			continue
		}
		for _, tail := range []string{"split", "breakdown", "distribution", "mix", "share", "shares"} {
			if o.ts.at(i+k, tail) {
				o.ts.take(i, k+1)
				o.group(col)
			}
		}
	}
	return nil
}

// values maps the remaining words to column values (exact, synonym,
// abbreviation, then vector similarity) and filters on them; "not",
// "excluding" or "except" before a value excludes it.
func (o *offline) values() error {
	for i := 0; i < len(o.ts); i++ {
		for n := rag.MaxPhraseWords; n >= 1; n-- {
			if !o.ts.free(i, n) {
				continue
			}
			orig, low := o.ts.phrase(i, n)
			matches := o.ctx.Dict.Lookup(orig)
			if len(matches) == 0 && n == 1 && o.ctx.Fuzzy != nil && len(low) >= 5 && !stopWords[low] && !isNumber(low) {
				if m, ok := o.ctx.Fuzzy(orig); ok {
					matches = []rag.Match{m}
				}
			}
			if len(matches) == 0 {
				continue
			}
			if len(matches) > 1 {
				return refuse("%q is a value of several columns (%s); say which one.", orig, columnsOf(matches))
			}
			o.ts.take(i, n)
			o.addValue(matches[0], o.negated(i))
			// "the email channel", "Texas state": the column word after a value is explained by it.
			if col, k := matchColumn(o.ts, i+n, o.cols); col == matches[0].Column {
				o.ts.take(i+n, k)
			}
			break
		}
	}
	return nil
}

func columnsOf(ms []rag.Match) string {
	var cs []string
	for _, m := range ms {
		cs = append(cs, m.Column)
	}
	return strings.Join(cs, ", ")
}

func (o *offline) negated(i int) bool {
	for _, w := range []string{"not", "excluding", "except", "exclude", "without", "non"} {
		if i > 0 && o.ts.at(i-1, w) {
			o.ts.take(i-1, 1)
			return true
		}
	}
	if i > 1 && o.ts.at(i-2, "other", "than") {
		o.ts.take(i-2, 2)
		return true
	}
	return false
}

func (o *offline) addValue(m rag.Match, not bool) {
	op := map[bool]string{true: "not_in", false: "in"}[not]
	for k, f := range o.plan.Filters {
		if f.Column == m.Column && f.Op == op {
			if !slices.Contains(f.Values, m.Value) {
				o.plan.Filters[k].Values = append(f.Values, m.Value)
			}
			return
		}
	}
	o.plan.Filters = append(o.plan.Filters, Filter{Column: m.Column, Op: op, Values: []string{m.Value}})
}

// countOf reads "how many campaigns" as distinct campaigns.
func (o *offline) countOf() error {
	for _, lead := range []string{"how many", "number of", "count of"} {
		words := strings.Fields(lead)
		i := o.ts.find(words...)
		if i < 0 {
			continue
		}
		if col, k := matchColumn(o.ts, i+len(words), o.cols); col != "" {
			o.ts.take(i, len(words)+k)
			o.metrics = append([]Metric{{Op: OpCountDistinct, Column: col}}, o.metrics...)
		}
	}
	return nil
}

// metricRank orders candidate metrics: explicit aggregations first, then
// money metrics, then people, then rows.
var metricRank = map[string]int{OpAvg: 0, OpSum: 0, OpMin: 0, OpMax: 0, OpCountDistinct: 0, OpAOV: 1, OpRefundRate: 1,
	OpNetRevenue: 1, OpROAS: 1, OpRefunds: 2, OpCost: 2, OpRevenue: 3, OpPeople: 4, OpCount: 5}

func (o *offline) pickMetric() error {
	if len(o.metrics) == 0 {
		if len(o.plan.GroupBy) == 0 && len(o.plan.Filters) == 0 {
			return refuse("I can't tell what to measure. Ask about revenue, orders, buyers, refunds or a column's average or total.")
		}
		o.plan.Metric = Metric{Op: OpCount}
		return nil
	}
	best := o.metrics[0]
	for _, m := range o.metrics[1:] {
		if metricRank[m.Op] < metricRank[best.Op] {
			best = m
		}
	}
	// "the largest revenue" with a grouping is a ranking, not a maximum.
	if (best.Op == OpMax || best.Op == OpMin) && len(o.plan.GroupBy) > 0 && o.plan.Limit == 0 {
		return refuse("Say either \"top\"/\"bottom\" for a ranking or \"maximum\"/\"minimum\" for one value.")
	}
	o.plan.Metric = best
	if best.Op == OpSum && best.Column == o.ctx.Dataset.Mapping[mapping.Revenue] {
		o.plan.Metric = Metric{Op: OpRevenue}
	}
	return nil
}

// finish adds the groupings implied by comparisons ("men vs women").
func (o *offline) finish() {
	if o.plan.DateFrom == "" && o.plan.DateTo == "" {
		o.plan.DateFrom, o.plan.DateTo = o.viewFrom, o.viewTo
	}
	for _, f := range o.plan.Filters {
		if f.Op == "in" && len(f.Values) > 1 && len(o.plan.GroupBy) < 2 {
			o.group(f.Column)
		}
	}
	if len(o.plan.GroupBy) == 1 && o.plan.Chart == "" && o.plan.Limit == 0 && o.plan.GroupBy[0].Bucket == "" {
		if c, ok := column(o.ctx.Dataset, o.plan.GroupBy[0].Column); ok && c.Type == "text" && (o.plan.Metric.Op == OpCount || o.plan.Metric.Op == OpPeople) {
			o.plan.Chart = "pie"
		}
	}
}

// asRefusal reports whether err is an offline refusal.
func asRefusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}

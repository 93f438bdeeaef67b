package assistant

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"
)

// kv is one answer row: group labels joined by "|" and the value.
type kv struct {
	label string
	value float64
}

type pred func(row) bool

func where(rows []row, ps ...pred) []row {
	var out []row
next:
	for _, r := range rows {
		for _, p := range ps {
			if !p(r) {
				continue next
			}
		}
		out = append(out, r)
	}
	return out
}

func dates(from, to string) pred {
	f, _ := time.Parse("2006-01-02", from)
	t, _ := time.Parse("2006-01-02", to)
	return func(r row) bool { return !r.date.Before(f) && !r.date.After(t) }
}

func is(field func(row) string, vals ...string) pred {
	return func(r row) bool {
		for _, v := range vals {
			if field(r) == v {
				return true
			}
		}
		return false
	}
}

func not(p pred) pred { return func(r row) bool { return !p(r) } }

var (
	state    = func(r row) string { return r.state }
	gender   = func(r row) string { return r.gender }
	channel  = func(r row) string { return r.channel }
	campaign = func(r row) string { return r.campaign }
	ageRange = func(r row) string { return r.ageRange }
	income   = func(r row) string { return r.income }
	month    = func(r row) string { return r.date.Format("2006-01") }
	moy      = func(r row) string { return r.date.Format("01") }
	year     = func(r row) string { return r.date.Format("2006") }
	dayOf    = func(r row) string { return r.date.Format("2006-01-02") }
	quarter  = func(r row) string { return fmt.Sprintf("%d-Q%d", r.date.Year(), (int(r.date.Month())-1)/3+1) }
	week     = func(r row) string {
		wd := (int(r.date.Weekday()) + 6) % 7 // Monday = 0, as DuckDB's date_trunc('week')
		return r.date.AddDate(0, 0, -wd).Format("2006-01-02")
	}
)

type agg func([]row) float64

func count(rs []row) float64 { return float64(len(rs)) }

func people(rs []row) float64 {
	seen := map[string]bool{}
	for _, r := range rs {
		seen[strings.ToLower(r.email)] = true
	}
	return float64(len(seen))
}

func sumOf(f func(row) float64) agg {
	return func(rs []row) float64 {
		s := 0.0
		for _, r := range rs {
			s += f(r)
		}
		return s
	}
}

var (
	rev        = func(r row) float64 { return r.revenue }
	ref        = func(r row) float64 { return r.refund }
	revenue    = sumOf(rev)
	refunds    = sumOf(ref)
	aov        = func(rs []row) float64 { return revenue(rs) / float64(len(rs)) }
	refundRate = func(rs []row) float64 { return refunds(rs) / revenue(rs) }
	netRevenue = func(rs []row) float64 { return revenue(rs) - refunds(rs) }
)

func avgOf(f func(row) float64) agg {
	return func(rs []row) float64 { return sumOf(f)(rs) / float64(len(rs)) }
}

func extreme(f func(row) float64, max bool) agg {
	return func(rs []row) float64 {
		best := f(rs[0])
		for _, r := range rs {
			if v := f(r); (max && v > best) || (!max && v < best) {
				best = v
			}
		}
		return best
	}
}

func distinct(field func(row) string) agg {
	return func(rs []row) float64 {
		seen := map[string]bool{}
		for _, r := range rs {
			seen[field(r)] = true
		}
		return float64(len(seen))
	}
}

func total(rs []row, a agg) []kv { return []kv{{"", a(rs)}} }

// by groups rows by one or two keys; groups are sorted by label.
func by(rs []row, a agg, keys ...func(row) string) []kv {
	groups := map[string][]row{}
	for _, r := range rs {
		var parts []string
		for _, k := range keys {
			parts = append(parts, k(r))
		}
		l := strings.Join(parts, "|")
		groups[l] = append(groups[l], r)
	}
	out := make([]kv, 0, len(groups))
	for l, g := range groups {
		out = append(out, kv{l, a(g)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].label < out[j].label })
	return out
}

// top ranks by value (ties by label) and keeps n.
func top(kvs []kv, n int, desc bool) []kv {
	sort.SliceStable(kvs, func(i, j int) bool {
		if kvs[i].value != kvs[j].value {
			return (kvs[i].value > kvs[j].value) == desc
		}
		return kvs[i].label < kvs[j].label
	})
	if len(kvs) > n {
		kvs = kvs[:n]
	}
	return kvs
}

// suiteCase is a question and its answer computed in Go (nil: must refuse).
type suiteCase struct {
	q       string
	want    func(rs []row) []kv
	ordered bool // compare row order too (rankings)
}

func suite() []suiteCase {
	lastQ, ytd := dates("2026-01-01", "2026-03-31"), dates("2026-01-01", "2026-06-15")
	y2025, y2026 := dates("2025-01-01", "2025-12-31"), dates("2026-01-01", "2026-12-31")
	return []suiteCase{
		{"Top 5 states by revenue", func(rs []row) []kv { return top(by(rs, revenue, state), 5, true) }, true},
		{"Gender split of buyers in Texas", func(rs []row) []kv { return by(where(rs, is(state, "Texas")), people, gender) }, false},
		{"AOV by channel last quarter", func(rs []row) []kv { return by(where(rs, lastQ), aov, channel) }, false},
		{"Monthly conversions this year vs last", func(rs []row) []kv { return by(rs, count, moy, year) }, false},
		{"How many buyers from paid search in NY?", func(rs []row) []kv {
			return total(where(rs, is(channel, "Paid Search"), is(state, "New York")), people)
		}, false},
		{"Total revenue", func(rs []row) []kv { return total(rs, revenue) }, false},
		{"Revenue by campaign", func(rs []row) []kv { return by(rs, revenue, campaign) }, false},
		{"Refund rate by campaign", func(rs []row) []kv { return by(rs, refundRate, campaign) }, false},
		{"What is the average order value?", func(rs []row) []kv { return total(rs, aov) }, false},
		{"How many orders from women in 2025?", func(rs []row) []kv { return total(where(rs, is(gender, "Female"), y2025), count) }, false},
		{"Number of unique customers by state", func(rs []row) []kv { return by(rs, people, state) }, false},
		{"Which channel has the highest revenue?", func(rs []row) []kv { return top(by(rs, revenue, channel), 1, true) }, true},
		{"Which state has the fewest buyers?", func(rs []row) []kv { return top(by(rs, people, state), 1, false) }, true},
		{"Revenue from guys in TX", func(rs []row) []kv { return total(where(rs, is(gender, "Male"), is(state, "Texas")), revenue) }, false},
		{"Revenue from email campaigns last year", func(rs []row) []kv { return total(where(rs, is(channel, "Email"), y2025), revenue) }, false},
		{"Average revenue by age range", func(rs []row) []kv { return by(rs, avgOf(rev), ageRange) }, false},
		{"Revenue by gender for customers in California", func(rs []row) []kv {
			return by(where(rs, is(state, "California")), revenue, gender)
		}, false},
		{"Daily revenue last 7 days", func(rs []row) []kv { return by(where(rs, dates("2026-06-09", "2026-06-15")), revenue, dayOf) }, true},
		{"Quarterly revenue in 2025", func(rs []row) []kv { return by(where(rs, y2025), revenue, quarter) }, true},
		{"Orders by income range", func(rs []row) []kv { return by(rs, count, income) }, false},
		{"Revenue from the 150k+ income range", func(rs []row) []kv { return total(where(rs, is(income, "150k+")), revenue) }, false},
		{"How many campaigns are there?", func(rs []row) []kv { return total(rs, distinct(campaign)) }, false},
		{"Maximum revenue", func(rs []row) []kv { return total(rs, extreme(rev, true)) }, false},
		{"Minimum refund", func(rs []row) []kv { return total(rs, extreme(ref, false)) }, false},
		{"Average refund for Paid Search", func(rs []row) []kv { return total(where(rs, is(channel, "Paid Search")), avgOf(ref)) }, false},
		{"Orders over $200 by channel", func(rs []row) []kv {
			return by(where(rs, func(r row) bool { return r.revenue > 200 }), count, channel)
		}, false},
		{"Orders between $50 and $100 by state", func(rs []row) []kv {
			return by(where(rs, func(r row) bool { return r.revenue >= 50 && r.revenue <= 100 }), count, state)
		}, false},
		{"Net revenue by channel", func(rs []row) []kv { return by(rs, netRevenue, channel) }, false},
		{"Revenue excluding Texas", func(rs []row) []kv { return total(where(rs, not(is(state, "Texas"))), revenue) }, false},
		{"Revenue from men vs women", func(rs []row) []kv { return by(where(rs, is(gender, "Male", "Female")), revenue, gender) }, false},
		{"Top 3 campaigns by refunds", func(rs []row) []kv { return top(by(rs, refunds, campaign), 3, true) }, true},
		{"Bottom 2 channels by orders", func(rs []row) []kv { return top(by(rs, count, channel), 2, false) }, true},
		{"Most common age range among buyers", func(rs []row) []kv { return top(by(rs, people, ageRange), 1, true) }, true},
		{"Monthly revenue this year", func(rs []row) []kv { return by(where(rs, y2026), revenue, month) }, true},
		{"Weekly orders last month", func(rs []row) []kv { return by(where(rs, dates("2026-05-01", "2026-05-31")), count, week) }, true},
		{"Revenue in Q1 2026 by channel", func(rs []row) []kv { return by(where(rs, lastQ), revenue, channel) }, false},
		{"Revenue in March 2026", func(rs []row) []kv { return total(where(rs, dates("2026-03-01", "2026-03-31")), revenue) }, false},
		{"How many orders in the last 30 days?", func(rs []row) []kv { return total(where(rs, dates("2026-05-17", "2026-06-15")), count) }, false},
		{"Refund rate for women in New York", func(rs []row) []kv {
			return total(where(rs, is(gender, "Female"), is(state, "New York")), refundRate)
		}, false},
		{"Buyers by age range and gender", func(rs []row) []kv { return by(rs, people, ageRange, gender) }, false},
		{"AOV year to date", func(rs []row) []kv { return total(where(rs, ytd), aov) }, false},
		{"Revenue per channel ignoring the filters", func(rs []row) []kv { return by(rs, revenue, channel) }, false},
		{"Average revenue for the 25-34 age range", func(rs []row) []kv { return total(where(rs, is(ageRange, "25-34")), avgOf(rev)) }, false},
		{"Revenue from Califronia", func(rs []row) []kv { return total(where(rs, is(state, "California")), revenue) }, false},
		{"Orders by state this year", func(rs []row) []kv { return by(where(rs, y2026), count, state) }, false},
		{"Which campaign brought the most revenue in 2025?", func(rs []row) []kv { return top(by(where(rs, y2025), revenue, campaign), 1, true) }, true},
		{"Compare revenue of men and women", func(rs []row) []kv { return by(where(rs, is(gender, "Male", "Female")), revenue, gender) }, false},
		{"Revenue for buyers aged 25-34", func(rs []row) []kv { return total(where(rs, is(ageRange, "25-34")), revenue) }, false},
		{"Revenue for 25-34 year olds", func(rs []row) []kv { return total(where(rs, is(ageRange, "25-34")), revenue) }, false},
		{"How many customers do we have?", func(rs []row) []kv { return total(rs, people) }, false},
		{"Revenue split by gender excluding paid search", func(rs []row) []kv {
			return by(where(rs, not(is(channel, "Paid Search"))), revenue, gender)
		}, false},
		{"Revenue by channel over the last 12 months", func(rs []row) []kv {
			return by(where(rs, dates("2025-06-16", "2026-06-15")), revenue, channel)
		}, false},
		{"Orders in the past 2 weeks", func(rs []row) []kv { return total(where(rs, dates("2026-06-02", "2026-06-15")), count) }, false},
		// Questions no aggregate answers: the planner must refuse, not guess.
		{"Why did revenue drop in March?", nil, false},
		{"Predict next month's revenue", nil, false},
		{"What is the correlation between age and revenue?", nil, false},
		{"Write me a poem about our customers", nil, false},
		{"Revenue by favorite color", nil, false},
		{"Which customers are likely to churn?", nil, false},
		{"Median order value by state", nil, false},
		{"Show me something interesting", nil, false},
	}
}

// answerRows reads an answer table as kvs in its order.
func answerRows(t *Table, groups int) []kv {
	out := make([]kv, 0, len(t.Rows))
	for _, r := range t.Rows {
		var labels []string
		for _, l := range r[:groups] {
			labels = append(labels, fmt.Sprint(l))
		}
		v, _ := asFloat(r[groups])
		out = append(out, kv{strings.Join(labels, "|"), v})
	}
	return out
}

func sameRows(got, want []kv, ordered bool) error {
	if !ordered {
		got, want = sortedByLabel(got), sortedByLabel(want)
	}
	if len(got) != len(want) {
		return fmt.Errorf("%d rows, want %d (got %v, want %v)", len(got), len(want), got, want)
	}
	for i := range got {
		if got[i].label != want[i].label || !close(got[i].value, want[i].value) {
			return fmt.Errorf("row %d = %v, want %v", i, got[i], want[i])
		}
	}
	return nil
}

func sortedByLabel(kvs []kv) []kv {
	out := append([]kv(nil), kvs...)
	sort.Slice(out, func(i, j int) bool { return out[i].label < out[j].label })
	return out
}

func close(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// TestOfflineQuestionSuite runs every question through the offline planner,
// compiles and executes it on DuckDB, and compares with the answer computed
// in Go. Refusals are allowed (but counted); a wrong answer fails.
func TestOfflineQuestionSuite(t *testing.T) {
	e := newEnv(t, 3000)
	cases := suite()
	if len(cases) < 40 {
		t.Fatalf("suite has %d questions, want at least 40", len(cases))
	}
	answered, refused := 0, 0
	for _, c := range cases {
		ans, err := e.svc.Ask(context.Background(), e.request(c.q))
		if err != nil {
			t.Errorf("%q: error %v", c.q, err)
			continue
		}
		if ans.Refused {
			refused++
			if c.want != nil {
				t.Logf("REFUSED (answerable): %q: %s", c.q, ans.Text)
			}
			if !strings.Contains(ans.Text, "Questions I can answer") {
				t.Errorf("%q: refusal without suggestions: %s", c.q, ans.Text)
			}
			continue
		}
		if c.want == nil {
			t.Errorf("WRONG: %q should be refused, got plan %q", c.q, ans.PlanText)
			continue
		}
		if err := sameRows(answerRows(ans.Table, len(ans.Plan.GroupBy)), c.want(e.rows), c.ordered); err != nil {
			t.Errorf("WRONG: %q (plan %q): %v", c.q, ans.PlanText, err)
			continue
		}
		answered++
		t.Logf("ok: %q -> %s", c.q, ans.PlanText)
	}
	t.Logf("offline planner: %d of %d questions answered exactly, %d refused", answered, len(cases), refused)
	if answered < 30 {
		t.Errorf("offline planner answered %d questions exactly, want at least 30", answered)
	}
}

func TestRefusalIsARefusal(t *testing.T) {
	e := newEnv(t, 50)
	_, err := PlanOffline("Why did revenue drop?", PlanContext{Dataset: e.ds, Dict: e.dict(), Clock: func() time.Time { return testNow }})
	var r *Refusal
	if !errors.As(err, &r) || len(r.Suggestions) == 0 {
		t.Fatalf("got %v, want a refusal with suggestions", err)
	}
}

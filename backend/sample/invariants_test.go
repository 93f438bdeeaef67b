package sample

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const invariantRows = 40_000

// table is generated rows addressed by column name.
type table struct {
	col  map[string]int
	rows [][]string
}

func newTable(t *testing.T, kind string) table {
	t.Helper()
	all := generated(t, Options{Kind: kind, Rows: invariantRows, Seed: 42})
	tb := table{col: map[string]int{}, rows: all[1:]}
	for i, name := range all[0] {
		tb.col[name] = i
	}
	return tb
}

func (tb table) get(row []string, name string) string { return row[tb.col[name]] }

// share returns the fraction of rows for which keep is true.
func (tb table) share(keep func(row []string) bool) float64 {
	n := 0
	for _, row := range tb.rows {
		if keep(row) {
			n++
		}
	}
	return float64(n) / float64(len(tb.rows))
}

func inRange(t *testing.T, what string, got, low, high float64) {
	t.Helper()
	if got < low || got > high {
		t.Errorf("%s = %.3f, want between %.2f and %.2f", what, got, low, high)
	}
}

func TestBuyersAreRealistic(t *testing.T) {
	tb := newTable(t, Buyers)
	checkDemographics(t, tb)
	checkDates(t, tb, "order_date", time.DateOnly)
	seen := map[string]bool{}
	repeat := tb.share(func(row []string) bool {
		email := tb.get(row, "customer_email")
		old := seen[email]
		seen[email] = true
		return old
	})
	inRange(t, "repeat buyer share", repeat, 0.25, 0.35)
	checkSamePersonAgrees(t, tb, "customer_email")
	checkMoney(t, tb)
	checkCampaignSeasons(t, tb, "order_date")
	channels := map[string]bool{}
	for _, row := range tb.rows {
		channels[tb.get(row, "channel")] = true
	}
	if len(channels) != len(channelSpecs) {
		t.Errorf("saw %d channels, want all %d", len(channels), len(channelSpecs))
	}
	inRange(t, "Paid Search share", tb.share(func(r []string) bool { return tb.get(r, "channel") == "Paid Search" }), 0.18, 0.26)
}

func TestVisitorsAreRealistic(t *testing.T) {
	tb := newTable(t, Visitors)
	checkDemographics(t, tb)
	checkDates(t, tb, "visit_date", time.DateTime)
	seen := map[string]bool{}
	for i, row := range tb.rows {
		id := tb.get(row, "visitor_id")
		if want := yesNo(!seen[id]); tb.get(row, "is_new_visitor") != want {
			t.Fatalf("row %d: visitor %s is_new_visitor=%s, want %s", i+1, id, tb.get(row, "is_new_visitor"), want)
		}
		seen[id] = true
	}
	inRange(t, "returning visit share", 1-float64(len(seen))/float64(len(tb.rows)), 0.30, 0.40)
	inRange(t, "visits without email", tb.share(func(r []string) bool { return tb.get(r, "email") == "" }), 0.45, 0.65)
	inRange(t, "mobile share", tb.share(func(r []string) bool { return tb.get(r, "device") == "Mobile" }), 0.45, 0.60)
	checkSamePersonAgrees(t, tb, "visitor_id")
}

// checkDemographics: age inside its range, valid states weighted by
// population, a realistic gender split.
func checkDemographics(t *testing.T, tb table) {
	t.Helper()
	for i, row := range tb.rows {
		age, err := strconv.Atoi(tb.get(row, "age"))
		bracket := slices.Index(ageRanges, tb.get(row, "age_range"))
		if err != nil || bracket < 0 || age < ageBounds[bracket][0] || age > ageBounds[bracket][1] {
			t.Fatalf("row %d: age %q outside age_range %q", i+1, tb.get(row, "age"), tb.get(row, "age_range"))
		}
		if !slices.Contains(StateNames(), tb.get(row, "state")) {
			t.Fatalf("row %d: unknown state %q", i+1, tb.get(row, "state"))
		}
	}
	is := func(col, value string) func([]string) bool {
		return func(r []string) bool { return tb.get(r, col) == value }
	}
	inRange(t, "California share", tb.share(is("state", "California")), 0.10, 0.14)
	inRange(t, "Wyoming share", tb.share(is("state", "Wyoming")), 0.0005, 0.004)
	inRange(t, "female share", tb.share(is("gender", "Female")), 0.47, 0.57)
	inRange(t, "other gender share", tb.share(is("gender", "Other")), 0.005, 0.04)
	inRange(t, "homeowner share", tb.share(is("homeowner", "Own")), 0.45, 0.75)
}

// checkDates: every date parses, lies in the window before the seed's
// anchor, and rows are in date order.
func checkDates(t *testing.T, tb table, col, layout string) {
	t.Helper()
	last := Anchor(42).AddDate(0, 0, 1)
	first := last.AddDate(0, 0, -WindowDays)
	var prev time.Time
	for i, row := range tb.rows {
		at, err := time.Parse(layout, tb.get(row, col))
		if err != nil || at.Before(first) || !at.Before(last) {
			t.Fatalf("row %d: %s %q outside [%s, %s)", i+1, col, tb.get(row, col), first, last)
		}
		if at.Before(prev) {
			t.Fatalf("row %d: %s %s before the previous row's %s", i+1, col, at, prev)
		}
		prev = at
	}
	if span := prev.Sub(first); span < time.Duration(WindowDays-5)*24*time.Hour {
		t.Errorf("dates cover only %s of the %d-day window", span, WindowDays)
	}
}

// checkSamePersonAgrees: every row of one person has the same profile.
func checkSamePersonAgrees(t *testing.T, tb table, key string) {
	t.Helper()
	profile := []string{"gender", "age", "income_range", "net_worth", "state", "marital_status"}
	first := map[string][]string{}
	for i, row := range tb.rows {
		var values []string
		for _, col := range profile {
			values = append(values, tb.get(row, col))
		}
		id := tb.get(row, key)
		if prev, ok := first[id]; ok && !slices.Equal(prev, values) {
			t.Fatalf("row %d: %s %s has profile %v, earlier %v", i+1, key, id, values, prev)
		}
		first[id] = values
	}
}

var currency = regexp.MustCompile(`^\$\d{1,3}(,\d{3})*\.\d{2}$`)

func parseCurrency(t *testing.T, s string) float64 {
	t.Helper()
	if !currency.MatchString(s) {
		t.Fatalf("%q is not formatted like $1,234.50", s)
	}
	v, err := strconv.ParseFloat(strings.NewReplacer("$", "", ",", "").Replace(s), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkMoney: revenue is positive and skewed, refunds are rare and never
// exceed revenue.
func checkMoney(t *testing.T, tb table) {
	t.Helper()
	var revenues []float64
	refunded := 0
	for i, row := range tb.rows {
		revenue := parseCurrency(t, tb.get(row, "revenue"))
		refund := parseCurrency(t, tb.get(row, "refund"))
		parseCurrency(t, tb.get(row, "cost"))
		if revenue <= 0 || refund > revenue {
			t.Fatalf("row %d: revenue %v refund %v", i+1, revenue, refund)
		}
		if refund > 0 {
			refunded++
		}
		revenues = append(revenues, revenue)
	}
	inRange(t, "refunded order share", float64(refunded)/float64(len(tb.rows)), 0.06, 0.14)
	slices.Sort(revenues)
	median, mean := revenues[len(revenues)/2], 0.0
	for _, v := range revenues {
		mean += v / float64(len(revenues))
	}
	inRange(t, "median revenue", median, 60, 130)
	if mean <= median {
		t.Errorf("revenue should be right-skewed: mean %.2f <= median %.2f", mean, median)
	}
}

// checkCampaignSeasons: seasonal campaigns run only in their months, every
// campaign shows up, and organic traffic has none.
func checkCampaignSeasons(t *testing.T, tb table, dateCol string) {
	t.Helper()
	seen := map[string]bool{}
	for i, row := range tb.rows {
		name := tb.get(row, "campaign")
		seen[name] = true
		month, _ := strconv.Atoi(tb.get(row, dateCol)[5:7])
		k := slices.IndexFunc(campaigns, func(c campaignSpec) bool { return c.name == name })
		if k >= 0 && campaigns[k].months != nil && !slices.Contains(campaigns[k].months, month) {
			t.Fatalf("row %d: campaign %q in month %d, outside its season %v", i+1, name, month, campaigns[k].months)
		}
		if tb.get(row, "channel") == "Organic Search" && name != noCampaign {
			t.Fatalf("row %d: organic search with campaign %q", i+1, name)
		}
	}
	if len(seen) != len(campaigns)+1 {
		t.Errorf("saw %d campaign values, want %d campaigns and %q", len(seen), len(campaigns), noCampaign)
	}
}

func TestEndDateMovesTheWindowAndStaysDeterministic(t *testing.T) {
	end := time.Date(2026, time.November, 26, 15, 4, 0, 0, time.UTC)
	gen := func() []byte {
		var b bytes.Buffer
		g, err := NewGenerator(Options{Kind: Buyers, Rows: 2000, Seed: 7, End: end})
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(&b)
		w.Write(g.Header())
		for row, ok := g.Next(); ok; row, ok = g.Next() {
			w.Write(row)
		}
		w.Flush()
		return b.Bytes()
	}
	first, second := gen(), gen()
	if !bytes.Equal(first, second) {
		t.Fatal("same seed and end give different files")
	}
	recs, err := csv.NewReader(bytes.NewReader(first)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "order_date" {
			col = i
		}
	}
	last := recs[len(recs)-1][col]
	if last > "2026-11-26" || last < "2026-11-01" {
		t.Fatalf("last order date %s, want within November 2026 up to the 26th", last)
	}
	if firstDay := recs[1][col]; firstDay < end.AddDate(0, 0, -WindowDays).Format(time.DateOnly) {
		t.Fatalf("first order date %s is before the %d-day window", firstDay, WindowDays)
	}
}

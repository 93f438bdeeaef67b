package filters

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine/enginetest"
	"leadnavigator/backend/mapping"
)

// row is one row of the test table, kept in Go so expected results are
// computed independently of the SQL under test.
type row struct {
	date    string // "" = NULL
	channel *string
	gender  string
	owner   *bool
	amount  float64
}

func str(s string) *string { return &s }
func boolp(b bool) *bool   { return &b }

var rows = []row{
	{"2026-01-01", str("Email"), "M", boolp(true), 10},
	{"2026-01-02", str("Paid Search"), "female", boolp(false), 20},
	{"2026-01-03", str("Email"), "F", nil, 30},
	{"2026-01-31", nil, "x", boolp(true), 40},
	{"2026-02-01", str(""), "Male", boolp(false), 50},
	{"", str("O'Brien; DROP TABLE t"), "", boolp(true), 60},
}

func testDataset(t *testing.T) (*sql.DB, datasets.Dataset) {
	t.Helper()
	db := enginetest.Workspace(t)
	if _, err := db.Exec(`CREATE TABLE t (d DATE, ts TIMESTAMP, channel VARCHAR, gender VARCHAR, owner BOOLEAN, amount DOUBLE)`); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		var d, ts any
		if r.date != "" {
			d, ts = r.date, r.date+" 23:30:00"
		}
		var ch, ow any
		if r.channel != nil {
			ch = *r.channel
		}
		if r.owner != nil {
			ow = *r.owner
		}
		if _, err := db.Exec(`INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)`, d, ts, ch, r.gender, ow, r.amount); err != nil {
			t.Fatal(err)
		}
	}
	return db, datasets.Dataset{
		Name: "test.csv", Table: "t",
		Columns: []datasets.Column{{Name: "d", Type: "date"}, {Name: "ts", Type: "datetime"}, {Name: "channel", Type: "text"},
			{Name: "gender", Type: "text"}, {Name: "owner", Type: "boolean"}, {Name: "amount", Type: "decimal"}},
		Mapping: mapping.Mapping{mapping.Date: "d", mapping.Gender: "gender", mapping.Channel: "channel"},
	}
}

// sumWhere runs SUM(amount) under the filter set.
func sumWhere(t *testing.T, db *sql.DB, d datasets.Dataset, s Set) float64 {
	t.Helper()
	where, args, err := s.Where(d)
	if err != nil {
		t.Fatalf("Where(%+v): %v", s, err)
	}
	var sum sql.NullFloat64
	if err := db.QueryRow("SELECT SUM(amount) FROM t WHERE "+where, args...).Scan(&sum); err != nil {
		t.Fatalf("query %q: %v", where, err)
	}
	return sum.Float64
}

func normGender(g string) string {
	switch strings.ToLower(g) {
	case "m", "male":
		return "Male"
	case "f", "female":
		return "Female"
	case "":
		return ""
	}
	return "Other"
}

func TestWhereMatchesIndependentComputation(t *testing.T) {
	db, d := testDataset(t)
	tests := []struct {
		name string
		set  Set
		keep func(r row) bool
	}{
		{"empty", Set{}, func(row) bool { return true }},
		{"date from", Set{DateFrom: "2026-01-03"}, func(r row) bool { return r.date != "" && r.date >= "2026-01-03" }},
		{"date range inclusive", Set{DateFrom: "2026-01-02", DateTo: "2026-01-31"},
			func(r row) bool { return r.date != "" && r.date >= "2026-01-02" && r.date <= "2026-01-31" }},
		{"channel OR", Set{Values: map[string][]string{"channel": {"Email", "Paid Search"}}},
			func(r row) bool { return r.channel != nil && (*r.channel == "Email" || *r.channel == "Paid Search") }},
		{"quote in value is data", Set{Values: map[string][]string{"channel": {"O'Brien; DROP TABLE t"}}},
			func(r row) bool { return r.channel != nil && strings.HasPrefix(*r.channel, "O'Brien") }},
		{"blank matches null and empty", Set{Values: map[string][]string{"channel": {Blank}}},
			func(r row) bool { return r.channel == nil || *r.channel == "" }},
		{"gender normalized", Set{Values: map[string][]string{"gender": {"Male"}}},
			func(r row) bool { return normGender(r.gender) == "Male" }},
		{"gender other and blank", Set{Values: map[string][]string{"gender": {"Other", Blank}}},
			func(r row) bool { return normGender(r.gender) == "Other" || r.gender == "" }},
		{"boolean as text", Set{Values: map[string][]string{"owner": {"true"}}},
			func(r row) bool { return r.owner != nil && *r.owner }},
		{"AND across columns", Set{DateTo: "2026-01-31", Values: map[string][]string{"owner": {"true"}, "gender": {"Male", "Other"}}},
			func(r row) bool {
				return r.date != "" && r.date <= "2026-01-31" && r.owner != nil && *r.owner && normGender(r.gender) != "Female"
			}},
		{"no match", Set{Values: map[string][]string{"channel": {"Nope"}}}, func(row) bool { return false }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := 0.0
			for _, r := range rows {
				if tc.keep(r) {
					want += r.amount
				}
			}
			if got := sumWhere(t, db, d, tc.set); got != want {
				t.Errorf("sum = %v, want %v", got, want)
			}
		})
	}
}

func TestDatetimeColumnIncludesWholeEndDay(t *testing.T) {
	db, d := testDataset(t)
	d.Mapping[mapping.Date] = "ts" // rows are at 23:30 of their day
	got := sumWhere(t, db, d, Set{DateFrom: "2026-01-02", DateTo: "2026-01-03"})
	if got != 50 { // rows of Jan 2 (20) and Jan 3 (30)
		t.Errorf("sum = %v, want 50", got)
	}
}

func TestWhereRejectsInvalidSets(t *testing.T) {
	_, d := testDataset(t)
	noDate := d
	noDate.Mapping = mapping.Mapping{}
	many := make([]string, MaxValuesPerColumn+1)
	for i := range many {
		many[i] = fmt.Sprint(i)
	}
	tests := []struct {
		name string
		d    datasets.Dataset
		set  Set
		want string
	}{
		{"unknown column", d, Set{Values: map[string][]string{`x" OR 1=1 --`: {"a"}}}, "no such column"},
		{"bad date", d, Set{DateFrom: "01/02/2026"}, "not a date"},
		{"reversed range", d, Set{DateFrom: "2026-02-01", DateTo: "2026-01-01"}, "before it starts"},
		{"no date mapped", noDate, Set{DateFrom: "2026-01-01"}, "no Date column"},
		{"too many values", d, Set{Values: map[string][]string{"channel": many}}, "at most"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := tc.set.Where(tc.d)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestCountEmptyAndKey(t *testing.T) {
	s := Set{DateTo: "2026-01-01", Values: map[string][]string{"a": {"y", "x", "x"}, "b": {}, "c": {"1"}}}
	if s.Count() != 3 || s.Empty() {
		t.Errorf("Count = %d, Empty = %v; want 3, false", s.Count(), s.Empty())
	}
	if !(Set{Values: map[string][]string{"a": nil}}).Empty() {
		t.Error("a set with only empty selections should be Empty")
	}
	same := Set{DateTo: "2026-01-01", Values: map[string][]string{"c": {"1"}, "a": {"x", "y"}}}
	if s.Key() != same.Key() {
		t.Errorf("Key differs for equal sets: %s vs %s", s.Key(), same.Key())
	}
	if w := s.Without("a"); w.Count() != 2 || len(s.Values["a"]) != 3 {
		t.Errorf("Without: count %d (want 2), original modified: %v", w.Count(), s.Values["a"])
	}
	if _, _, err := ParseRange("2026-01-01", ""); err != nil {
		t.Error(err)
	}
	if f, _, _ := ParseRange("2026-03-04", ""); !f.Equal(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseRange from = %v", f)
	}
}

package rowindex

import (
	"context"
	"database/sql"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"leadnavigator/backend/engine/enginetest"
)

// row is one purchase of the hand-built table. Its columns are named h, d,
// o and rid on purpose: the names the build uses internally.
type row struct {
	person string // "" = NULL
	date   string // "" = NULL
	order  string
	amount float64
}

var rows = []row{
	{"ann", "2026-01-10", "A2", 10}, // same first day as A1, but a higher order id
	{"ann", "2026-01-10", "A1", 20},
	{"ann", "2026-03-01", "A3", 30},  // day 50: inside the 90 days
	{"ann", "2026-04-10", "A4", 40},  // day 90: outside
	{"bob", "2026-02-01", "B1", 5},   // only row
	{"cat", "", "C0", 100},           // undated: never first, outside every window
	{"cat", "2026-02-03", "C1", 7},   //
	{"cat", "2026-01-20", "C2", 3},   // first, though listed later
	{"", "2026-01-05", "X1", 1},      // no person
	{"dan", "", "D1", 9},             // only undated rows: never new
	{"dan", "", "D2", 9},             //
	{"eve", "2026-05-05", "E1", 0.5}, // only row
}

func newTable(t *testing.T) *sql.DB {
	t.Helper()
	db := enginetest.Workspace(t)
	mustExec(t, db, `CREATE TABLE sales (h VARCHAR, d DATE, o VARCHAR, rid DOUBLE)`)
	for _, r := range rows {
		mustExec(t, db, `INSERT INTO sales VALUES (?, ?, ?, ?)`, nullIfEmpty(r.person), nullIfEmpty(r.date), r.order, r.amount)
	}
	return db
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

var spec = PeopleSpec{Table: "sales", Person: `"h"`, Date: `"d"`, Revenue: `"rid"`, Order: `"o"`}

// expected works the index out from rows with plain loops: per order id,
// whether it is its person's only row, and the 90-day revenue carried by
// first rows.
func expected() (only map[string]bool, new90 map[string]float64) {
	count := map[string]int{}
	first := map[string]row{}
	for _, r := range rows {
		if r.person == "" {
			continue
		}
		count[r.person]++
		f, ok := first[r.person]
		if r.date != "" && (!ok || r.date < f.date || r.date == f.date && r.order < f.order) {
			first[r.person] = r
		}
	}
	only, new90 = map[string]bool{}, map[string]float64{}
	for _, r := range rows {
		if r.person != "" {
			only[r.order] = count[r.person] == 1
		}
	}
	for p, f := range first {
		start, _ := time.Parse("2006-01-02", f.date)
		end := start.AddDate(0, 0, NewCustomerDays).Format("2006-01-02")
		var sum float64
		for _, r := range rows {
			if r.person == p && r.date != "" && r.date >= f.date && r.date < end {
				sum += r.amount
			}
		}
		new90[f.order] = sum
	}
	return only, new90
}

func TestEnsureBuildsTheIndex(t *testing.T) {
	db := newTable(t)
	ix, err := People(context.Background(), db, spec)
	if err != nil {
		t.Fatal(err)
	}
	only, new90 := expected()
	res, err := db.Query(`SELECT o, ` + ix.Person + `, ` + ix.New90 + ` FROM sales`)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	idsByPerson := map[int64]string{}
	for res.Next() {
		var order string
		var person sql.NullInt64
		var n90 sql.NullFloat64
		if err := res.Scan(&order, &person, &n90); err != nil {
			t.Fatal(err)
		}
		r := rowByOrder(order)
		switch {
		case r.person == "":
			if person.Valid {
				t.Errorf("%s: person index %d for a row without a person", order, person.Int64)
			}
		case only[order]:
			if !person.Valid || person.Int64 != 0 {
				t.Errorf("%s: person index %v, want 0 (only row)", order, person)
			}
		default:
			if !person.Valid || person.Int64 <= 0 {
				t.Errorf("%s: person index %v, want a shared id", order, person)
			} else if p, seen := idsByPerson[person.Int64]; seen && p != r.person {
				t.Errorf("%s: id %d shared by %s and %s", order, person.Int64, p, r.person)
			} else {
				idsByPerson[person.Int64] = r.person
			}
		}
		want, isFirst := new90[order]
		if n90.Valid != isFirst || math.Abs(n90.Float64-want) > 1e-9 {
			t.Errorf("%s: new90 = %v, want %v (first row: %v)", order, n90, want, isFirst)
		}
	}
	if len(idsByPerson) != 3 || ix.Multi != 3 { // ann, cat, dan
		t.Errorf("shared ids = %v (Multi %d), want one per person with several rows", idsByPerson, ix.Multi)
	}
}

func rowByOrder(order string) row {
	for _, r := range rows {
		if r.order == order {
			return r
		}
	}
	panic("no row " + order)
}

func hiddenColumns(t *testing.T, db *sql.DB) []string {
	t.Helper()
	cols, _, err := hidden(context.Background(), db, "sales")
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

// isIndex reports whether the hidden columns are exactly those of ix.
func isIndex(cols []string, ix PeopleIndex) bool {
	return len(cols) == 2 && slices.Contains(cols, unquote(ix.Person)) && slices.Contains(cols, unquote(ix.New90))
}

func TestMappingChangeReplacesTheIndex(t *testing.T) {
	db := newTable(t)
	ctx := context.Background()
	first, err := People(ctx, db, spec)
	if err != nil {
		t.Fatal(err)
	}
	again, err := People(ctx, db, spec)
	if err != nil || again != first || first.Multi != 3 {
		t.Fatalf("second Ensure = %v, %v; want the same index", again, err)
	}
	noRevenue := spec
	noRevenue.Revenue = ""
	second, err := People(ctx, db, noRevenue)
	if err != nil {
		t.Fatal(err)
	}
	if second == first {
		t.Fatal("a different revenue column gave the same index columns")
	}
	if cols := hiddenColumns(t, db); !isIndex(cols, second) {
		t.Errorf("hidden columns = %v, want only those of %v", cols, second)
	}
	// Back to the first mapping: built again, not taken from memory.
	back, err := People(ctx, db, spec)
	if err != nil || back.Person != first.Person {
		t.Fatalf("back to the first spec: %v, %v", back, err)
	}
	var firsts int
	if err := db.QueryRow(`SELECT COUNT(` + back.New90 + `) FROM sales`).Scan(&firsts); err != nil || firsts == 0 {
		t.Fatalf("index after switching back: %d first rows, %v", firsts, err)
	}
	second, err = People(ctx, db, noRevenue)
	if err != nil {
		t.Fatal(err)
	}
	// Without revenue, new customers still count: their 90-day revenue is 0.
	var n int
	var sum float64
	if err := db.QueryRow(`SELECT COUNT(`+second.New90+`), SUM(`+second.New90+`) FROM sales`).Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if _, new90 := expected(); n != len(new90) || sum != 0 {
		t.Errorf("without revenue: %d first rows summing %v, want %d summing 0", n, sum, len(new90))
	}
}

func TestFailedBuildLeavesTheTableAsItWas(t *testing.T) {
	db := newTable(t)
	ctx := context.Background()
	good, err := People(ctx, db, spec)
	if err != nil {
		t.Fatal(err)
	}
	broken := spec
	broken.Date = `CAST("no_such_column" AS DATE)`
	if _, err := People(ctx, db, broken); err == nil || !strings.Contains(err.Error(), "sales") {
		t.Fatalf("Ensure with a bad date expression: %v, want an error naming the table", err)
	}
	if cols := hiddenColumns(t, db); !isIndex(cols, good) {
		t.Errorf("after a failed build the hidden columns are %v, want the previous index %v", cols, good)
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sales`).Scan(&n); err != nil || n != len(rows) {
		t.Errorf("rows after a failed build = %d, %v", n, err)
	}
}

func TestConcurrentEnsureBuildsOnce(t *testing.T) {
	db := newTable(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := People(context.Background(), db, spec)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if cols := hiddenColumns(t, db); !isIndex(cols, peopleNames(spec)) {
		t.Errorf("hidden columns = %v, want one index", cols)
	}
}

func TestNoPersonNoIndex(t *testing.T) {
	db := newTable(t)
	ix, err := People(context.Background(), db, PeopleSpec{Table: "sales", Date: `"d"`})
	if err != nil || ix.Has() {
		t.Fatalf("Ensure without a person = %v, %v; want no index", ix, err)
	}
	if cols := hiddenColumns(t, db); len(cols) != 0 {
		t.Errorf("hidden columns = %v, want none", cols)
	}
}

// peopleNames is the index People builds for s.
func peopleNames(s PeopleSpec) PeopleIndex {
	sig := signature(s.Person, s.Date, s.Revenue, s.Order)
	return PeopleIndex{Person: `"` + personPrefix + sig + `"`, New90: `"` + new90Prefix + sig + `"`}
}

// A mapping change rebuilds the index while dashboards may be reading the
// table: neither side may fail.
func TestRebuildWhileReading(t *testing.T) {
	db := newTable(t)
	mustExec(t, db, `INSERT INTO sales SELECT 'p' || (i % 5000), DATE '2026-01-01' + CAST(i % 300 AS INTEGER), 'Z' || i, i % 100 FROM range(200000) r(i)`)
	ctx := context.Background()
	if _, err := People(ctx, db, spec); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		defer close(readErr)
		for {
			select {
			case <-stop:
				return
			default:
			}
			var n int
			var sum float64
			if err := db.QueryRow(`SELECT COUNT(*), SUM(rid) FROM sales WHERE h IS NOT NULL`).Scan(&n, &sum); err != nil {
				readErr <- err
				return
			}
		}
	}()
	noOrder := spec
	noOrder.Order = ""
	_, err := People(ctx, db, noOrder)
	close(stop)
	if rerr := <-readErr; rerr != nil {
		t.Errorf("reading during the rebuild: %v", rerr)
	}
	if err != nil {
		t.Fatalf("rebuild while reading: %v", err)
	}
	if cols := hiddenColumns(t, db); !isIndex(cols, peopleNames(noOrder)) {
		t.Errorf("hidden columns = %v after the rebuild", cols)
	}
}

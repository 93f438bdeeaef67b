package assistant

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/rag"
	"leadnavigator/backend/store"
)

// row is one generated buyer row; expected answers are computed over these in Go.
type row struct {
	date                                                      time.Time
	email, channel, campaign, gender, ageRange, income, state string
	revenue, refund                                           float64
}

var (
	channels  = []string{"Email", "Paid Search", "Organic Search", "Social", "Referral", "Direct"}
	campaigns = []string{"Spring Sale", "Summer Promo", "Black Friday", "Holiday", "Retargeting"}
	genders   = []string{"Female", "Male", "Other"}
	ageRanges = []string{"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
	incomes   = []string{"<50k", "50k-100k", "100k-150k", "150k+"}
	states    = []string{"Texas", "New York", "California", "Florida", "Illinois", "Ohio", "Georgia", "Washington"}
)

// testNow is "today" for the suite: data runs 2025-01-01..2026-06-14.
var testNow = time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)

// generate makes n deterministic rows; people repeat so distinct counts differ from row counts.
func generate(n int) []row {
	r := rand.New(rand.NewSource(42))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(testNow.Sub(start).Hours()/24) - 1
	type person struct{ email, gender, age, income, state string }
	people := make([]person, n/3)
	for i := range people {
		people[i] = person{fmt.Sprintf("p%04d@example.com", i), genders[weighted(r, 45, 45, 10)],
			ageRanges[r.Intn(len(ageRanges))], incomes[r.Intn(len(incomes))], states[r.Intn(len(states))]}
	}
	rows := make([]row, n)
	for i := range rows {
		p := people[r.Intn(len(people))]
		rev := float64(r.Intn(40000)+500) / 100
		refund := 0.0
		if r.Intn(10) == 0 {
			refund = float64(r.Intn(int(rev*100))) / 100
		}
		rows[i] = row{date: start.AddDate(0, 0, r.Intn(days+1)), email: p.email, channel: channels[r.Intn(len(channels))],
			campaign: campaigns[r.Intn(len(campaigns))], gender: p.gender, ageRange: p.age, income: p.income,
			state: p.state, revenue: rev, refund: refund}
	}
	return rows
}

func weighted(r *rand.Rand, w ...int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	k := r.Intn(total)
	for i, x := range w {
		if k < x {
			return i
		}
		k -= x
	}
	return len(w) - 1
}

// spyExecutor counts the queries that reach the engine.
type spyExecutor struct {
	inner Executor
	runs  atomic.Int64
	last  Query
}

func (s *spyExecutor) Run(ctx context.Context, ws int64, q Query) (Table, error) {
	s.runs.Add(1)
	s.last = q
	return s.inner.Run(ctx, ws, q)
}

// env is a real SQLite app database, a real DuckDB workspace holding the
// generated rows, and an assistant Service over them.
type env struct {
	t       *testing.T
	rows    []row
	ds      datasets.Dataset
	duck    *sql.DB
	app     *sql.DB
	spy     *spyExecutor
	svc     *Service
	manager *engine.Manager
}

const testWS, testUser = 1, 1

func newEnv(t *testing.T, n int) *env {
	t.Helper()
	dir := t.TempDir()
	app, err := store.Open(filepath.Join(dir, "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	// The chat table references the users and workspaces tables of other packages.
	if _, err := app.Exec(`CREATE TABLE users(id INTEGER PRIMARY KEY); CREATE TABLE workspaces(id INTEGER PRIMARY KEY);
		INSERT INTO users VALUES (1), (2); INSERT INTO workspaces VALUES (1), (2);`); err != nil {
		t.Fatal(err)
	}
	hist, err := NewHistory(app)
	if err != nil {
		t.Fatal(err)
	}
	m := engine.NewManager(filepath.Join(dir, "workspaces"), engine.Options{MemoryLimit: "256MB", Threads: 1})
	t.Cleanup(func() { m.Close() })
	duck, err := m.Workspace(testWS)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, rows: generate(n), duck: duck, app: app, manager: m}
	e.ds = e.load()
	ix, err := rag.Open(filepath.Join(dir, "rag"))
	if err != nil {
		t.Fatal(err)
	}
	e.spy = &spyExecutor{inner: DBExecutor{DB: m.Workspace}}
	e.svc = &Service{History: hist, Index: ix, Exec: e.spy, Clock: func() time.Time { return testNow }}
	return e
}

// load writes the rows into a DuckDB table through an appender-free INSERT with parameters.
func (e *env) load() datasets.Dataset {
	table := "ds_suite"
	_, err := e.duck.Exec(`CREATE TABLE ds_suite(order_date DATE, email VARCHAR, channel VARCHAR, campaign VARCHAR,
		gender VARCHAR, age_range VARCHAR, income_range VARCHAR, state VARCHAR, revenue DOUBLE, refund DOUBLE)`)
	if err != nil {
		e.t.Fatal(err)
	}
	var b strings.Builder
	var args []any
	flush := func() {
		if len(args) == 0 {
			return
		}
		if _, err := e.duck.Exec("INSERT INTO ds_suite VALUES "+strings.TrimSuffix(b.String(), ","), args...); err != nil {
			e.t.Fatal(err)
		}
		b.Reset()
		args = args[:0]
	}
	for i, r := range e.rows {
		b.WriteString("(CAST(? AS DATE),?,?,?,?,?,?,?,?,?),")
		args = append(args, r.date.Format("2006-01-02"), r.email, r.channel, r.campaign, r.gender, r.ageRange, r.income, r.state, r.revenue, r.refund)
		if i%500 == 499 {
			flush()
		}
	}
	flush()
	return datasets.Dataset{ID: 7, WorkspaceID: testWS, Name: "buyers.csv", Kind: datasets.Buyers, Table: table, Rows: int64(len(e.rows)),
		Columns: []datasets.Column{{Name: "order_date", Type: "date"}, {Name: "email", Type: "text"}, {Name: "channel", Type: "text"},
			{Name: "campaign", Type: "text"}, {Name: "gender", Type: "text"}, {Name: "age_range", Type: "text"},
			{Name: "income_range", Type: "text"}, {Name: "state", Type: "text"}, {Name: "revenue", Type: "currency"},
			{Name: "refund", Type: "currency"}},
		Mapping: mapping.Mapping{mapping.Date: "order_date", mapping.Email: "email", mapping.Channel: "channel",
			mapping.Campaign: "campaign", mapping.Gender: "gender", mapping.AgeRange: "age_range",
			mapping.IncomeRange: "income_range", mapping.State: "state", mapping.Revenue: "revenue", mapping.Refund: "refund"},
	}
}

func (e *env) request(q string) Request {
	return Request{WorkspaceID: testWS, UserID: testUser, Dataset: e.ds, DB: e.duck, Question: q}
}

func (e *env) dict() *rag.Dictionary {
	d, err := e.svc.Index.Dictionary(context.Background(), e.duck, e.ds)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// Package people gives a dataset table a per-row person index, so the
// dashboards count unique, repeat and new customers (or visitors) over
// millions of rows without grouping every id on every recompute.
//
// The index is two hidden columns added to the dataset's own table (their
// names start with "__ln_" and never appear in datasets.Dataset.Columns, so
// no filter, preview, export or assistant plan can reach them):
//
//   - person: NULL when the row has no person id, 0 when it is the person's
//     only row in the file, otherwise a dense id (1, 2, ...) shared by all
//     rows of that person. Unique people are then the rows with 0 plus the
//     distinct ids, so only people with several rows need grouping.
//   - new90: on each person's first purchase row (earliest date, then lowest
//     order id, then table order) the person's revenue over their rows dated within the
//     90 days starting that day; NULL on every other row. New customers of
//     a period are COUNT(new90) over its rows and their 90-day LTV is
//     SUM(new90) / COUNT(new90): plain sums that combine with any filters.
//
// Dataset tables never change after import, so the index depends only on
// which columns hold the person id, the date and the revenue; those are
// hashed into the column names. A mapping change therefore asks for new
// names, and Ensure builds them (replacing the old ones) in one transaction.
package people

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"

	"leadnavigator/backend/engine"
)

// Prefix starts the name of every hidden column this package adds.
const Prefix = "__ln_"

// NewCustomerDays is the window of the new-customer revenue (90-day LTV).
const NewCustomerDays = 90

// Spec says where a table's people, dates and revenue are, as SQL
// expressions over the table's columns.
type Spec struct {
	Table   string // dataset table name (unquoted)
	Person  string // SQL expression of the person key (NULL: no person); "" = no people
	Date    string // DATE expression; "" = no dates (nobody is ever new)
	Revenue string // DOUBLE expression; "" = no revenue (new90 is 0)
	Order   string // quoted order id column, which breaks ties between first-day rows; "" = none
}

// Index is the quoted names of a table's person index columns; the zero
// Index means the table has no person column.
type Index struct {
	Person string // INTEGER: NULL, 0 (only row) or the person's dense id
	New90  string // DOUBLE: the person's 90-day revenue on their first row
	Multi  int64  // people with several rows: the dense ids are 1..Multi
}

// Has reports whether the table has a person index.
func (ix Index) Has() bool { return ix.Person != "" }

// ready remembers, per database handle and table, the index the table
// has: only this package alters dataset tables, and a table has one index
// at a time (building another drops it). Table names are never reused.
var ready sync.Map

// building serializes builds per table.
var building sync.Map

// Ensure returns the person index of s, building it first when the table
// does not have it yet (e.g. right after import or a mapping change).
func Ensure(ctx context.Context, db *sql.DB, s Spec) (Index, error) {
	if s.Person == "" {
		return Index{}, nil
	}
	ix := names(s)
	key := fmt.Sprintf("%p\x00%s", db, s.Table)
	if known, ok := ready.Load(key); ok && known.(Index).Person == ix.Person {
		return known.(Index), nil
	}
	mu, _ := building.LoadOrStore(key, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	cols, err := hiddenColumns(ctx, db, s.Table)
	if err != nil {
		return Index{}, err
	}
	if !slices.Contains(cols, unquote(ix.Person)) || !slices.Contains(cols, unquote(ix.New90)) {
		if err := build(ctx, db, s, ix, cols); err != nil {
			return Index{}, fmt.Errorf("index the people of %s: %w", s.Table, err)
		}
	}
	var multi sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MAX("+ix.Person+") FROM "+engine.QuoteIdent(s.Table)).Scan(&multi); err != nil {
		return Index{}, err
	}
	ix.Multi = multi.Int64
	ready.Store(key, ix)
	return ix, nil
}

// names derives the index's column names from what it is built from.
func names(s Spec) Index {
	sum := sha256.Sum256([]byte(s.Person + "\x00" + s.Date + "\x00" + s.Revenue + "\x00" + s.Order))
	sig := hex.EncodeToString(sum[:6])
	return Index{
		Person: engine.QuoteIdent(Prefix + "person_" + sig),
		New90:  engine.QuoteIdent(Prefix + "new90_" + sig),
	}
}

// hiddenColumns lists the table's columns added by this package.
func hiddenColumns(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND starts_with(column_name, ?)", table, Prefix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// build replaces the table's hidden columns (old lists those present) with
// the index ix, in one transaction: readers see the old table or the new
// one, and a failure leaves the table as it was.
func build(ctx context.Context, db *sql.DB, s Spec, ix Index, old []string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range buildSQL(s, ix, old) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// buildSQL is the statements of build. Temporary tables live on the
// transaction's connection: per person (by a 64-bit hash of the id) the
// number of rows and first date, then, for people with several rows only,
// each row's dense id and the first row's 90-day revenue. Order ids are
// usually sequential, so the lowest one is the first order of a day. Two UPDATEs then
// write every row with an id: first as an only row, then the rows of
// people with several rows.
func buildSQL(s Spec, ix Index, old []string) []string {
	t := engine.QuoteIdent(s.Table)
	date, revenue, order := s.Date, s.Revenue, s.Order
	if date == "" {
		date = "NULL::DATE"
	}
	if revenue == "" {
		revenue = "NULL::DOUBLE"
	}
	if order == "" {
		order = "NULL::VARCHAR"
	}
	window := fmt.Sprint(NewCustomerDays)
	var stmts []string
	for _, c := range old {
		stmts = append(stmts, "ALTER TABLE "+t+" DROP COLUMN "+engine.QuoteIdent(c))
	}
	// Every query reads the table through one projection with fixed names,
	// so dataset columns called h, d or rid cannot be confused with them.
	base := "(SELECT rowid AS rid, hash(" + s.Person + ") AS h, " + date + " AS d, " + revenue + " AS r, " + order + " AS o FROM " + t +
		" WHERE " + s.Person + " IS NOT NULL)"
	return append(stmts,
		"CREATE OR REPLACE TEMP TABLE __ln_per AS SELECT h, COUNT(*) AS n, MIN(d) AS fd FROM "+base+" b GROUP BY h",
		"CREATE OR REPLACE TEMP TABLE __ln_multi AS WITH m AS MATERIALIZED (SELECT b.rid, b.h, b.d, b.r, b.o, p.fd FROM "+base+" b"+
			" JOIN __ln_per p ON b.h = p.h WHERE p.n > 1),"+
			" f AS (SELECT h, CAST(row_number() OVER () AS INTEGER) AS id, arg_min(rid, (o, rid)) FILTER (WHERE d = fd) AS frid,"+
			" COALESCE(SUM(r) FILTER (WHERE d >= fd AND d < fd + "+window+"), 0) AS rev FROM m GROUP BY h)"+
			" SELECT m.rid, f.id, CASE WHEN m.rid = f.frid THEN f.rev END AS new90 FROM m JOIN f USING (h)",
		"ALTER TABLE "+t+" ADD COLUMN "+ix.Person+" INTEGER",
		"ALTER TABLE "+t+" ADD COLUMN "+ix.New90+" DOUBLE",
		"UPDATE "+t+" SET "+ix.Person+" = 0, "+ix.New90+" = CASE WHEN "+date+" IS NOT NULL THEN COALESCE("+revenue+", 0) END"+
			" WHERE "+s.Person+" IS NOT NULL",
		"UPDATE "+t+" SET "+ix.Person+" = m.id, "+ix.New90+" = m.new90 FROM __ln_multi m WHERE "+t+".rowid = m.rid",
		"DROP TABLE __ln_per",
		"DROP TABLE __ln_multi",
	)
}

func unquote(quoted string) string {
	return strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(quoted, `"`), `"`), `""`, `"`)
}

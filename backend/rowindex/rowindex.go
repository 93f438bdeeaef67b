// Package rowindex adds hidden index columns to dataset tables, so the
// dashboards recompute over millions of rows without grouping every
// customer id, or every combination of five text columns, each time:
//
//   - the people index (people.go): who each row's person is, and each
//     customer's first purchase with their 90-day revenue;
//   - the dimension key (dims.go): one integer per combination of the
//     chart dimensions (channel, gender, age, income, state), with a small
//     dictionary table of the combinations.
//
// Hidden columns and tables are named with Prefix and never appear in
// datasets.Dataset.Columns, so no filter, preview, export or assistant plan
// can reach them. Dataset tables never change after import, so an index
// depends only on the SQL it is built from, which is hashed into its names:
// a mapping change asks for new names, and the index is built again
// (replacing the old one) in one transaction, at import or mapping time
// through metrics.Prepare, or on the first dashboard otherwise.
package rowindex

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"leadnavigator/backend/engine"
)

// Prefix starts the name of every hidden column and table this package adds.
const Prefix = "__ln_"

// ready remembers, per database handle, table and kind of index, the
// index the table has: only this package alters dataset tables, and a
// table has one index of each kind at a time (building another drops it).
// Table names are never reused.
var ready sync.Map

// building serializes builds per table.
var building sync.Map

// cached is what ready holds: an index and the signature it was built for.
type cached struct {
	sig   string
	index any
}

// kind describes one kind of index for ensure.
type kind[T any] struct {
	name string
	// present reports whether the table's hidden columns (and the
	// database's hidden tables) include the index of sig.
	present func(columns, tables []string) bool
	// build returns the statements that replace the old index (its
	// hidden columns and tables, as listed) with the index of sig.
	build func(columns, tables []string) []string
	// load reads what callers need to know about a built index.
	load func(ctx context.Context) (T, error)
}

// ensure returns the index of kind k with signature sig of table, building
// it first when the table does not have it yet.
func ensure[T any](ctx context.Context, db *sql.DB, table, sig string, k kind[T]) (T, error) {
	key := fmt.Sprintf("%p\x00%s", db, table)
	if c, ok := ready.Load(key + "\x00" + k.name); ok && c.(cached).sig == sig {
		return c.(cached).index.(T), nil
	}
	mu, _ := building.LoadOrStore(key, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	var zero T
	columns, tables, err := hidden(ctx, db, table)
	if err != nil {
		return zero, err
	}
	if !k.present(columns, tables) {
		if err := inTx(ctx, db, k.build(columns, tables)); err != nil {
			return zero, fmt.Errorf("build the %s index of %s: %w", k.name, table, err)
		}
	}
	ix, err := k.load(ctx)
	if err != nil {
		return zero, err
	}
	ready.Store(key+"\x00"+k.name, cached{sig, ix})
	return ix, nil
}

// signature hashes what an index is built from into a short name part.
func signature(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:6])
}

// hidden lists the table's hidden columns and the database's hidden tables
// that belong to it (named after it).
func hidden(ctx context.Context, db *sql.DB, table string) (columns, tables []string, err error) {
	columns, err = names(ctx, db, "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND starts_with(column_name, ?)", table, Prefix)
	if err != nil {
		return nil, nil, err
	}
	tables, err = names(ctx, db, "SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, ?)", Prefix+table+"_")
	return columns, tables, err
}

func names(ctx context.Context, db *sql.DB, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
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

// inTx runs stmts in one transaction: readers see the table before or
// after, and a failure leaves it as it was. Temporary tables live on the
// transaction's connection.
func inTx(ctx context.Context, db *sql.DB, stmts []string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// DropTables drops the hidden tables of a dataset table (e.g. when the
// dataset is deleted; its hidden columns go with it).
func DropTables(ctx context.Context, db *sql.DB, table string) error {
	_, tables, err := hidden(ctx, db, table)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+engine.QuoteIdent(t)); err != nil {
			return err
		}
	}
	return nil
}

// dropColumns is the statements dropping the hidden columns of table whose
// names start with one of prefixes.
func dropColumns(table string, columns []string, prefixes ...string) []string {
	var stmts []string
	for _, c := range columns {
		for _, p := range prefixes {
			if strings.HasPrefix(c, p) {
				stmts = append(stmts, "ALTER TABLE "+engine.QuoteIdent(table)+" DROP COLUMN "+engine.QuoteIdent(c))
				break
			}
		}
	}
	return stmts
}

func unquote(quoted string) string {
	return strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(quoted, `"`), `"`), `""`, `"`)
}

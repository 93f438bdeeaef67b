package rowindex

// The dimension key is one hidden INTEGER column of the dataset's table,
// the id of the row's combination of chart dimension values, and a hidden
// dictionary table of the combinations (a few thousand rows at most for
// low-cardinality columns). Grouping by one integer and labelling the few
// groups afterwards is much cheaper than hashing five text columns of
// every row.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"leadnavigator/backend/engine"
)

// DimsSpec is the chart dimensions of a table, as SQL expressions over its
// columns, in the order the dashboard groups them.
type DimsSpec struct {
	Table string
	Keys  []string
}

// DimsIndex names a table's dimension key: Column holds each row's
// combination id, and Dict maps an id (column IDColumn) to the value of
// each key (Values[i] for DimsSpec.Keys[i]). The zero DimsIndex means no
// dimensions.
type DimsIndex struct {
	Column   string   // quoted hidden column of the dataset table
	Dict     string   // quoted dictionary table
	IDColumn string   // quoted id column of Dict
	Values   []string // quoted value columns of Dict
}

// Has reports whether the table has a dimension key.
func (ix DimsIndex) Has() bool { return ix.Column != "" }

// Names of the dimension key's column and dictionary (table-specific).
const (
	dimPrefix = Prefix + "dim_"
	dictID    = Prefix + "id"
)

func dictPrefix(table string) string { return Prefix + table + "_dims_" }

// Dims returns the dimension key of s, building it first when the table
// does not have it yet.
func Dims(ctx context.Context, db *sql.DB, s DimsSpec) (DimsIndex, error) {
	if len(s.Keys) == 0 {
		return DimsIndex{}, nil
	}
	sig := signature(s.Keys...)
	ix := DimsIndex{
		Column:   engine.QuoteIdent(dimPrefix + sig),
		Dict:     engine.QuoteIdent(dictPrefix(s.Table) + sig),
		IDColumn: engine.QuoteIdent(dictID),
	}
	for i := range s.Keys {
		ix.Values = append(ix.Values, engine.QuoteIdent(Prefix+"k"+strconv.Itoa(i)))
	}
	return ensure(ctx, db, s.Table, sig, kind[DimsIndex]{
		name: "dims",
		present: func(columns, tables []string) bool {
			return slices.Contains(columns, unquote(ix.Column)) && slices.Contains(tables, unquote(ix.Dict))
		},
		build: func(columns, tables []string) []string {
			stmts := dropColumns(s.Table, columns, dimPrefix)
			for _, t := range tables {
				if strings.HasPrefix(t, dictPrefix(s.Table)) {
					stmts = append(stmts, "DROP TABLE "+engine.QuoteIdent(t))
				}
			}
			return append(stmts, dimsSQL(s, ix)...)
		},
		load: func(context.Context) (DimsIndex, error) { return ix, nil },
	})
}

// dimsSQL builds the dimension key ix of s: the dictionary of distinct
// combinations, then each row's id, matched NULL-safely.
func dimsSQL(s DimsSpec, ix DimsIndex) []string {
	t := engine.QuoteIdent(s.Table)
	var sel, match []string
	for i, k := range s.Keys {
		sel = append(sel, k+" AS "+ix.Values[i])
		match = append(match, "("+k+") IS NOT DISTINCT FROM d."+ix.Values[i])
	}
	return []string{
		fmt.Sprintf("CREATE TABLE %s AS SELECT CAST(row_number() OVER () AS INTEGER) AS %s, * FROM (SELECT DISTINCT %s FROM %s)",
			ix.Dict, ix.IDColumn, strings.Join(sel, ", "), t),
		"ALTER TABLE " + t + " ADD COLUMN " + ix.Column + " INTEGER",
		"UPDATE " + t + " SET " + ix.Column + " = d." + ix.IDColumn + " FROM " + ix.Dict + " d WHERE " + strings.Join(match, " AND "),
	}
}

package rowindex

// The people index is two hidden columns of the dataset's table:
//
//   - person: NULL when the row has no person id, 0 when it is the person's
//     only row in the file, otherwise a dense id (1, 2, ...) shared by all
//     rows of that person. Unique people are then the rows with 0 plus the
//     distinct ids, so only people with several rows need grouping.
//   - new90: on each person's first purchase row (earliest date, then lowest
//     order id, then table order) the person's revenue over their rows
//     dated within the 90 days starting that day; NULL on every other row.
//     New customers of a period are COUNT(new90) over its rows and their
//     90-day LTV is SUM(new90) / COUNT(new90): plain sums that combine
//     with any filters.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"leadnavigator/backend/engine"
)

// NewCustomerDays is the window of the new-customer revenue (90-day LTV).
const NewCustomerDays = 90

// PeopleSpec says where a table's people, dates and revenue are, as SQL
// expressions over the table's columns.
type PeopleSpec struct {
	Table   string // dataset table name (unquoted)
	Person  string // SQL expression of the person key (NULL: no person); "" = no people
	Date    string // DATE expression; "" = no dates (nobody is ever new)
	Revenue string // DOUBLE expression; "" = no revenue (new90 is 0)
	Order   string // quoted order id column, which breaks ties between first-day rows; "" = none
}

// PeopleIndex is the quoted names of a table's people index columns; the
// zero PeopleIndex means the table has no person column.
type PeopleIndex struct {
	Person string // INTEGER: NULL, 0 (only row) or the person's dense id
	New90  string // DOUBLE: the person's 90-day revenue on their first row
	Multi  int64  // people with several rows: the dense ids are 1..Multi
}

// Has reports whether the table has a person index.
func (ix PeopleIndex) Has() bool { return ix.Person != "" }

// People returns the people index of s, building it first when the table
// does not have it yet (e.g. right after import or a mapping change).
func People(ctx context.Context, db *sql.DB, s PeopleSpec) (PeopleIndex, error) {
	if s.Person == "" {
		return PeopleIndex{}, nil
	}
	sig := signature(s.Person, s.Date, s.Revenue, s.Order)
	ix := PeopleIndex{
		Person: engine.QuoteIdent(personPrefix + sig),
		New90:  engine.QuoteIdent(new90Prefix + sig),
	}
	return ensure(ctx, db, s.Table, sig, kind[PeopleIndex]{
		name: "people",
		present: func(columns, _ []string) bool {
			return slices.Contains(columns, unquote(ix.Person)) && slices.Contains(columns, unquote(ix.New90))
		},
		build: func(columns, _ []string) []string {
			return append(dropColumns(s.Table, columns, personPrefix, new90Prefix), peopleSQL(s, ix)...)
		},
		load: func(ctx context.Context) (PeopleIndex, error) {
			var multi sql.NullInt64
			err := db.QueryRowContext(ctx, "SELECT MAX("+ix.Person+") FROM "+engine.QuoteIdent(s.Table)).Scan(&multi)
			ix.Multi = multi.Int64
			return ix, err
		},
	})
}

// Name prefixes of the people index columns.
const (
	personPrefix = Prefix + "person_"
	new90Prefix  = Prefix + "new90_"
)

// peopleSQL builds the people index ix of s. Temporary tables hold, per
// person (by a 64-bit hash of the id), the number of rows and first date,
// then, for people with several rows only, each row's dense id and the
// first row's 90-day revenue (order ids are usually sequential, so the
// lowest one is the first order of a day). Two UPDATEs then write every
// row with an id: first as an only row, then the rows of people with
// several rows.
func peopleSQL(s PeopleSpec, ix PeopleIndex) []string {
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
	// Every query reads the table through one projection with fixed names,
	// so dataset columns called h, d or rid cannot be confused with them.
	base := "(SELECT rowid AS rid, hash(" + s.Person + ") AS h, " + date + " AS d, " + revenue + " AS r, " + order + " AS o FROM " + t +
		" WHERE " + s.Person + " IS NOT NULL)"
	return []string{
		"CREATE OR REPLACE TEMP TABLE __ln_per AS SELECT h, COUNT(*) AS n, MIN(d) AS fd FROM " + base + " b GROUP BY h",
		"CREATE OR REPLACE TEMP TABLE __ln_multi AS WITH m AS MATERIALIZED (SELECT b.rid, b.h, b.d, b.r, b.o, p.fd FROM " + base + " b" +
			" JOIN __ln_per p ON b.h = p.h WHERE p.n > 1)," +
			" f AS (SELECT h, CAST(row_number() OVER () AS INTEGER) AS id, arg_min(rid, (o, rid)) FILTER (WHERE d = fd) AS frid," +
			" COALESCE(SUM(r) FILTER (WHERE d >= fd AND d < fd + " + window + "), 0) AS rev FROM m GROUP BY h)" +
			" SELECT m.rid, f.id, CASE WHEN m.rid = f.frid THEN f.rev END AS new90 FROM m JOIN f USING (h)",
		"ALTER TABLE " + t + " ADD COLUMN " + ix.Person + " INTEGER",
		"ALTER TABLE " + t + " ADD COLUMN " + ix.New90 + " DOUBLE",
		"UPDATE " + t + " SET " + ix.Person + " = 0, " + ix.New90 + " = CASE WHEN " + date + " IS NOT NULL THEN COALESCE(" + revenue + ", 0) END" +
			" WHERE " + s.Person + " IS NOT NULL",
		"UPDATE " + t + " SET " + ix.Person + " = m.id, " + ix.New90 + " = m.new90 FROM __ln_multi m WHERE " + t + ".rowid = m.rid",
		"DROP TABLE __ln_per",
		"DROP TABLE __ln_multi",
	}
}

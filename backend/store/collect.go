package store

import "database/sql"

// Scanner is a row being read (*sql.Row or *sql.Rows).
type Scanner interface{ Scan(dest ...any) error }

// Collect runs a query and turns every row into a T with scan. It returns
// an empty (non-nil) slice when there are no rows, so the UI gets [] not null.
func Collect[T any](db *sql.DB, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

package ingest

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leadnavigator/backend/engine/enginetest"
)

// newDB opens a fresh workspace database the way the app does.
func newDB(t *testing.T) *sql.DB {
	return enginetest.Workspace(t)
}

// writeFile writes content to name in a fresh temp dir and returns the path.
func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// importFile imports path into table "t" of a fresh database.
func importFile(t *testing.T, path string) (*sql.DB, Result, error) {
	t.Helper()
	db := newDB(t)
	res, err := Import(context.Background(), db, t.TempDir(), "t", Options{Path: path})
	return db, res, err
}

// mustImport imports content written to name and fails the test on error.
func mustImport(t *testing.T, name, content string) (*sql.DB, Result) {
	t.Helper()
	db, res, err := importFile(t, writeFile(t, name, []byte(content)))
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return db, res
}

// wantImportError imports content and checks the *Error it returns.
func wantImportError(t *testing.T, name string, content []byte, line int64, msgPart string) *Error {
	t.Helper()
	db, _, err := importFile(t, writeFile(t, name, content))
	var ie *Error
	if !errors.As(err, &ie) {
		t.Fatalf("want *Error containing %q, got %T %v", msgPart, err, err)
	}
	if ie.File != name || ie.Line != line || !contains(ie.Msg, msgPart) {
		t.Fatalf("got %q (file %q line %d), want file %q line %d containing %q", ie.Error(), ie.File, ie.Line, name, line, msgPart)
	}
	assertNoTables(t, db)
	return ie
}

func contains(s, part string) bool { return strings.Contains(s, part) }

// queryStrings returns the first column of a query's rows as strings.
func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s.Valid {
			out = append(out, s.String)
		} else {
			out = append(out, "<NULL>")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tableNames lists the tables of the database.
func tableNames(t *testing.T, db *sql.DB) []string {
	return queryStrings(t, db, `SELECT table_name FROM duckdb_tables() ORDER BY table_name`)
}

// assertNoTables checks that neither the target nor any scratch table exists.
func assertNoTables(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, name := range tableNames(t, db) {
		if name == "t" || len(name) >= len(scratchPrefix) && name[:len(scratchPrefix)] == scratchPrefix {
			t.Fatalf("table %q left behind", name)
		}
	}
}

// columnTypes returns the DuckDB types of table t's columns.
func columnTypes(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 't'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, ty string
		if err := rows.Scan(&n, &ty); err != nil {
			t.Fatal(err)
		}
		out[n] = ty
	}
	return out
}

// Package store opens the application's SQLite database (users, workspaces,
// datasets metadata, audit log, ...) and applies versioned migrations.
//
// Each backend package owns its tables: it declares a migration "domain" and
// an ordered list of SQL steps, and calls Migrate at start-up. The applied
// version per domain is kept in schema_migrations, so adding a step to the
// end of a list upgrades existing databases in place.
package store

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// Open opens (creating if needed) the SQLite file at path with WAL journaling,
// foreign keys enforced and a busy timeout so concurrent writers wait instead
// of failing.
func Open(path string) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	dsn := "file:" + path + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		domain TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Migrate applies the steps of domain that are newer than the recorded
// version, each in its own transaction together with the version bump.
func Migrate(db *sql.DB, domain string, steps []string) error {
	var current int
	err := db.QueryRow(`SELECT version FROM schema_migrations WHERE domain = ?`, domain).Scan(&current)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("read migration version of %s: %w", domain, err)
	}
	for i := current; i < len(steps); i++ {
		if err := applyStep(db, domain, i+1, steps[i]); err != nil {
			return err
		}
	}
	return nil
}

func applyStep(db *sql.DB, domain string, version int, step string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(step); err != nil {
		return fmt.Errorf("migration %s v%d: %w", domain, version, err)
	}
	if _, err := tx.Exec(`INSERT INTO schema_migrations(domain, version, applied_at) VALUES(?, ?, ?)
		ON CONFLICT(domain) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at`,
		domain, version, Now().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// Now is the UTC wall clock used for stored timestamps.
func Now() time.Time { return time.Now().UTC() }

// TimeFormat is the layout of every timestamp column (sortable as text).
const TimeFormat = "2006-01-02T15:04:05.000Z"

package rowindex

import (
	"context"
	"database/sql"
	"slices"
	"testing"
)

func TestDimsKeyMapsEveryRowToItsValues(t *testing.T) {
	db := newTable(t)
	ctx := context.Background()
	spec := DimsSpec{Table: "sales", Keys: []string{`"h"`, `"d"`}}
	ix, err := Dims(ctx, db, spec)
	if err != nil {
		t.Fatal(err)
	}
	// Every row's key leads to its own values, NULLs included.
	var mismatched int
	err = db.QueryRow(`SELECT COUNT(*) FROM sales s LEFT JOIN ` + ix.Dict + ` k ON s.` + ix.Column + ` = k.` + ix.IDColumn +
		` WHERE k.` + ix.IDColumn + ` IS NULL OR s.h IS DISTINCT FROM k.` + ix.Values[0] + ` OR s.d IS DISTINCT FROM k.` + ix.Values[1]).Scan(&mismatched)
	if err != nil || mismatched != 0 {
		t.Fatalf("%d rows whose key does not give back their values (%v)", mismatched, err)
	}
	// One dictionary entry per distinct combination, worked out in Go.
	combos := map[[2]string]bool{}
	for _, r := range rows {
		combos[[2]string{r.person, r.date}] = true
	}
	var entries int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + ix.Dict).Scan(&entries); err != nil || entries != len(combos) {
		t.Errorf("dictionary has %d entries (%v), want %d", entries, err, len(combos))
	}
	// Other keys replace the index; deleting the dataset drops the dictionary.
	other, err := Dims(ctx, db, DimsSpec{Table: "sales", Keys: []string{`"o"`}})
	if err != nil {
		t.Fatal(err)
	}
	cols, tables, err := hidden(ctx, db, "sales")
	if err != nil || !slices.Equal(cols, []string{unquote(other.Column)}) || !slices.Equal(tables, []string{unquote(other.Dict)}) {
		t.Errorf("after a new key: columns %v, tables %v (%v); want only %s and %s", cols, tables, err, other.Column, other.Dict)
	}
	if err := DropTables(ctx, db, "sales"); err != nil {
		t.Fatal(err)
	}
	if _, tables, _ := hidden(ctx, db, "sales"); len(tables) != 0 {
		t.Errorf("tables left after DropTables: %v", tables)
	}
}

func TestNoDimensionsNoKey(t *testing.T) {
	ix, err := Dims(context.Background(), (*sql.DB)(nil), DimsSpec{Table: "sales"})
	if err != nil || ix.Has() {
		t.Errorf("Dims without keys = %v, %v", ix, err)
	}
}

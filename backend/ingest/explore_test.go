package ingest

import (
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"
)

func TestExplore5(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	os.Remove("/tmp/e5.duckdb")
	db, _ := sql.Open("duckdb", "/tmp/e5.duckdb")
	defer db.Close()
	db.Exec("SET memory_limit='1GB'")
	db.Exec("SET preserve_insertion_order=false")
	src := &source{path: "/tmp/lnb/leads_1000000.csv", separator: ',', newline: "\n"}
	im := &importer{size: 144e6}
	smp, _ := im.readSample(src)
	names := normalizeHeader(smp.header)
	types := inferTypes(smp)
	o := readOptions{parallel: true}
	withTrim := loadSQL("x", src, names, types, o)
	noTrim := withTrim
	for i, ty := range types {
		if ty.kind == typeText {
			noTrim = strings.Replace(noTrim, "NULLIF(trim("+rawName(i)+"), '')", rawName(i), 1)
		}
	}
	raw := "CREATE TABLE x AS SELECT * FROM " + readCSV(src, len(names), o)
	for r := 0; r < 3; r++ {
		for _, c := range []struct{ l, q string }{{"trim", withTrim}, {"notrim", noTrim}, {"raw", raw}} {
			st := time.Now()
			if _, err := db.Exec(c.q); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %v", c.l, time.Since(st))
			db.Exec("DROP TABLE x")
		}
	}
}

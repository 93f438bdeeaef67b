package ingest

import (
	"database/sql"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestExplore6(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	os.Remove("/tmp/e6.duckdb")
	db, _ := sql.Open("duckdb", "/tmp/e6.duckdb")
	defer db.Close()
	db.Exec("SET memory_limit='1GB'")
	db.Exec("SET preserve_insertion_order=false")
	src := &source{path: "/tmp/lnb/leads_1000000.csv", separator: ',', newline: "\n"}
	im := &importer{size: 144e6}
	smp, _ := im.readSample(src)
	names := normalizeHeader(smp.header)
	types := inferTypes(smp)
	o := readOptions{parallel: true}
	rc := readCSV(src, len(names), o)
	typed := loadSQL("x", src, names, types, o)
	cols := make([]string, len(names))
	_ = cols
	for i := range cols {
		cols[i] = "max(" + rawName(i) + ")"
	}

	typedOne := strings.Replace(typed, strings.Split(strings.Split(rc, "nullstr=[")[1], "]")[0], "''", 1)
	typedCase := typedOne
	for i := range names {
		c := rawName(i)
		typedCase = strings.Replace(typedCase, "NULLIF(trim("+c+"), '') AS", "CASE WHEN strlen("+c+") <= 4 AND lower(trim("+c+")) IN ('', 'na', 'n/a', 'null', 'none', '-') THEN NULL ELSE trim("+c+") END AS", 1)
		typedCase = strings.Replace(typedCase, "SELECT "+c+" AS", "SELECT CASE WHEN strlen("+c+") <= 4 AND lower("+c+") IN ('na', 'n/a', 'null', 'none', '-') THEN NULL ELSE "+c+" END AS", 1)
		typedCase = strings.Replace(typedCase, ", "+c+" AS", ", CASE WHEN strlen("+c+") <= 4 AND lower("+c+") IN ('na', 'n/a', 'null', 'none', '-') THEN NULL ELSE "+c+" END AS", 1)
	}
	t.Log(typedCase[:600])
	ms := []struct{ l, q string }{
		{"typed ctas", typed},
		{"typed ctas 1 nullstr", typedOne},
		{"typed ctas case", typedCase},
	}
	db.Exec("SET threads=1")
	for r := 0; r < 2; r++ {
		for _, c := range ms {
			st, cs := time.Now(), cpuNow()
			if _, err := db.Exec(c.q); err != nil {
				t.Fatal(err)
			}
			t.Logf("%-22s wall %v cpu %v", c.l, time.Since(st).Round(time.Millisecond), (cpuNow() - cs).Round(time.Millisecond))
			db.Exec("DROP TABLE IF EXISTS x")
		}
	}
}

package ingest

import (
	"database/sql"
	"os"
	"testing"
)

func TestExplore4(t *testing.T) {
	db, _ := sql.Open("duckdb", "")
	defer db.Close()
	os.WriteFile("/tmp/crlf.csv", []byte("id,note\r\n1,\"two\r\nlines\"\r\n2,plain\r\n"), 0o644)
	for _, nl := range []string{`'\r\n'`, `'\n'`, "'\r\n'", `'CRLF'`} {
		for _, par := range []string{"true", "false"} {
			var n int
			err := db.QueryRow(`SELECT count(*) FROM read_csv('/tmp/crlf.csv', delim=',', quote='"', escape='"', header=true, auto_detect=false, new_line=` + nl + `, columns={'a':'VARCHAR','b':'VARCHAR'}, parallel=` + par + `)`).Scan(&n)
			t.Logf("%q parallel=%s: %d %v", nl, par, n, err)
		}
	}
}

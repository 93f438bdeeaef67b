package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"leadnavigator/backend/datasets"
)

func TestImportXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Lead ID", "Email", "Revenue", "Subscribed", "Notes"},
		{1, "a@x.com", 1234.5, "yes", "first, with comma"},
		{2, "b@x.com", 99, "no"}, // short row: Notes padded with NULL
		{},                       // empty row: skipped
		{3, "c@x.com", 10.25, "yes", "multi\nline"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "leads.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	db, res, err := importFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 3 || res.Encoding != encUTF8 || res.Separator != "," {
		t.Fatalf("got %+v", res)
	}
	types := map[string]string{}
	for _, c := range res.Columns {
		types[c.Name] = c.Type
	}
	want := map[string]string{"lead_id": typeInteger, "email": typeText, "revenue": typeDecimal, "subscribed": typeBoolean, "notes": typeText}
	if !reflect.DeepEqual(types, want) {
		t.Fatalf("types %v, want %v", types, want)
	}
	got := queryStrings(t, db, `SELECT concat_ws('|', lead_id, revenue, subscribed, coalesce(notes, 'NULL')) FROM t ORDER BY lead_id`)
	if w := []string{"1|1234.5|true|first, with comma", "2|99.0|false|NULL", "3|10.25|true|multi\nline"}; !reflect.DeepEqual(got, w) {
		t.Fatalf("got %q, want %q", got, w)
	}
}

func TestImportXLSXRowWiderThanHeader(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"a", "b"})
	f.SetSheetRow("Sheet1", "A2", &[]any{1, 2})
	f.SetSheetRow("Sheet1", "A3", &[]any{1, 2, "stray"})
	path := filepath.Join(t.TempDir(), "wide.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	db, _, err := importFile(t, path)
	var ie *Error
	if !errors.As(err, &ie) || ie.Line != 3 || !strings.Contains(ie.Msg, "expected 2 fields, found 3") {
		t.Fatalf("got %v", err)
	}
	assertNoTables(t, db)
}

func TestImportConvertsEveryType(t *testing.T) {
	content := `id,amount,price,revenue,rate,active,signup,seen,stamp,eu_day,zip,mixed
1,10,1.5,"$1,234.50",12.5%,yes,01/31/2026,2026-01-31T10:00:00,2026-01-31 10:00,31/01/2026,02134,42
2,-3,2,-$5.00,3%,No,1/5/2026,2026-02-01T11:30:15,2026-02-01 09:05,05/02/2026,10001,abc
3,"1,000",.25,(5.00),0.5%,Y,12/1/2025,2026-02-01T00:00:00,2026-02-01,1/12/2025,94105,3.5
`
	db, res := mustImport(t, "types.csv", content)
	wantTypes := map[string]string{
		"id": "BIGINT", "amount": "BIGINT", "price": "DOUBLE", "revenue": "DECIMAL(18,2)", "rate": "DOUBLE",
		"active": "BOOLEAN", "signup": "DATE", "seen": "TIMESTAMP", "stamp": "TIMESTAMP", "eu_day": "DATE",
		"zip": "VARCHAR", "mixed": "VARCHAR",
	}
	if got := columnTypes(t, db); !reflect.DeepEqual(got, wantTypes) {
		t.Fatalf("types %v\nwant  %v", got, wantTypes)
	}
	kinds := []string{}
	for _, c := range res.Columns {
		kinds = append(kinds, c.Type)
	}
	if want := []string{"integer", "integer", "decimal", "currency", "percent", "boolean", "date", "datetime", "datetime", "date", "text", "text"}; !reflect.DeepEqual(kinds, want) {
		t.Fatalf("profile types %v", kinds)
	}
	got := queryStrings(t, db, `SELECT concat_ws('|', amount, price, revenue, rate, active, signup, seen, stamp, eu_day, zip, mixed) FROM t ORDER BY id`)
	want := []string{
		"10|1.5|1234.50|12.5|true|2026-01-31|2026-01-31 10:00:00|2026-01-31 10:00:00|2026-01-31|02134|42",
		"-3|2.0|-5.00|3.0|false|2026-01-05|2026-02-01 11:30:15|2026-02-01 09:05:00|2026-02-05|10001|abc",
		"1000|0.25|-5.00|0.5|true|2025-12-01|2026-02-01 00:00:00|2026-02-01 00:00:00|2025-12-01|94105|3.5",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

// lateSurprises has headRows+10000 clean rows, then one row per column
// whose value does not fit the type the sample suggests.
func lateSurprises() string {
	var b strings.Builder
	b.WriteString("n,day,flag,price\n")
	for i := 0; i < headRows+10000; i++ {
		fmt.Fprintf(&b, "%d,2026-01-%02d,yes,$%d.00\n", i, i%28+1, i%50)
	}
	b.WriteString("3.5,soon,maybe,call us\n")
	return b.String()
}

func TestImportDemotesColumnsTheSampleMisjudged(t *testing.T) {
	db, res := mustImport(t, "late.csv", lateSurprises())
	want := map[string]string{"n": "DOUBLE", "day": "VARCHAR", "flag": "VARCHAR", "price": "VARCHAR"}
	if got := columnTypes(t, db); !reflect.DeepEqual(got, want) {
		t.Fatalf("types %v, want %v", got, want)
	}
	if res.Columns[0].Type != typeDecimal || res.Columns[1].Type != typeText {
		t.Fatalf("profile types %s %s", res.Columns[0].Type, res.Columns[1].Type)
	}
	got := queryStrings(t, db, `SELECT concat_ws('|', n, day, flag, price) FROM t WHERE n = 3.5 OR n = 7 ORDER BY n`)
	if w := []string{"3.5|soon|maybe|call us", "7.0|2026-01-08|yes|$7.00"}; !reflect.DeepEqual(got, w) {
		t.Fatalf("got %q, want %q", got, w)
	}
}

func TestImportMissingValues(t *testing.T) {
	// Typed columns also read blank values as NULL; text keeps "  " as written.
	// "nULL" and "nOnE" in the typed column are NULLs too, not failures
	// that would demote it to text.
	content := "id,score,name\n1,NA,N/A\n2,nULL,NULL\n3,nOnE,none\n4,-,-\n5,,\"\"\n6,n/a,Na\n7,7,real\n8, ,\n"
	db, res := mustImport(t, "missing.csv", content)
	if res.Columns[1].Type != typeInteger {
		t.Fatalf("score typed %s: missing tokens must not make it text", res.Columns[1].Type)
	}
	var scoreNulls, nameNulls int
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE score IS NULL), count(*) FILTER (WHERE name IS NULL) FROM t`).Scan(&scoreNulls, &nameNulls); err != nil {
		t.Fatal(err)
	}
	if scoreNulls != 7 || nameNulls != 7 {
		t.Fatalf("nulls score %d name %d, want 7 and 7", scoreNulls, nameNulls)
	}
	if res.Columns[2].Nulls != 7 || res.Columns[2].NullPct != 87.5 {
		t.Fatalf("profile nulls %d (%v%%)", res.Columns[2].Nulls, res.Columns[2].NullPct)
	}
}

func TestImportRemovesDuplicates(t *testing.T) {
	content := "email,amount,note\na@x.com,$5.00,hi\nb@x.com,$6.00,\na@x.com,$5.00,hi\nb@x.com,$6.00,NA\nc@x.com,$5,hi\nc@x.com,$5.00,hi\na@x.com,$5.00,Hi\n"
	db, res := mustImport(t, "dups.csv", content)
	// Rows 3, 4 (NA = empty) and 6 ($5 = $5.00 once typed) repeat earlier rows.
	if res.DuplicatesRemoved != 3 || res.Rows != 4 {
		t.Fatalf("removed %d kept %d, want 3 and 4", res.DuplicatesRemoved, res.Rows)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("table has %d rows (%v)", n, err)
	}
	_, res = mustImport(t, "unique.csv", "a,b\n1,2\n2,1\n")
	if res.DuplicatesRemoved != 0 || res.Rows != 2 {
		t.Fatalf("unique file: %+v", res)
	}
}

func TestImportProfileMatchesIndependentCounts(t *testing.T) {
	channels := []string{"email", "search", "social", "referral", "display", "affiliate", "print"}
	var b strings.Builder
	b.WriteString("id,channel,amount,day\n")
	count := map[string]int64{}
	var nulls int64
	minAmt, maxAmt := 1<<30, -1
	for i := 0; i < 5000; i++ {
		ch := channels[weighted(i%100, 30, 50, 65, 77, 87, 95)]
		if i%13 == 0 {
			ch = ""
			nulls++
		} else {
			count[ch]++
		}
		amt := (i * 37) % 1000
		minAmt, maxAmt = min(minAmt, amt), max(maxAmt, amt)
		fmt.Fprintf(&b, "%d,%s,%d,2026-03-%02d\n", i, ch, amt, i%31+1)
	}
	_, res := mustImport(t, "profile.csv", b.String())
	ch := res.Columns[1]
	if ch.Nulls != nulls || ch.NullPct != float64(nulls)*100/5000 {
		t.Errorf("channel nulls %d (%v%%), want %d", ch.Nulls, ch.NullPct, nulls)
	}
	if ch.Distinct != int64(len(count)) {
		t.Errorf("channel distinct %d, want %d", ch.Distinct, len(count))
	}
	type vc struct {
		v string
		n int64
	}
	var want []vc
	for v, n := range count {
		want = append(want, vc{v, n})
	}
	sort.Slice(want, func(a, b int) bool { return want[a].n > want[b].n || want[a].n == want[b].n && want[a].v < want[b].v })
	if len(ch.Top) != topN {
		t.Fatalf("top has %d values", len(ch.Top))
	}
	for i, top := range ch.Top {
		if top.Value != want[i].v || top.Count != want[i].n {
			t.Errorf("top[%d] = %+v, want %+v", i, top, want[i])
		}
	}
	sorted := append([]string(nil), channels...)
	sort.Strings(sorted)
	if ch.Min != sorted[0] || ch.Max != sorted[len(sorted)-1] {
		t.Errorf("channel min/max %q %q", ch.Min, ch.Max)
	}
	amt := res.Columns[2]
	if amt.Min != fmt.Sprint(minAmt) || amt.Max != fmt.Sprint(maxAmt) || amt.Nulls != 0 {
		t.Errorf("amount min %s max %s nulls %d, want %d %d 0", amt.Min, amt.Max, amt.Nulls, minAmt, maxAmt)
	}
	day := res.Columns[3]
	if day.Type != typeDate || day.Min != "2026-03-01" || day.Max != "2026-03-31" {
		t.Errorf("day %s %s %s", day.Type, day.Min, day.Max)
	}
	id := res.Columns[0]
	if diff := id.Distinct - 5000; diff < -250 || diff > 250 {
		t.Errorf("id distinct estimate %d, want 5000 ± 5%%", id.Distinct)
	}
	if id.Original != "id" || ch.Original != "channel" {
		t.Errorf("originals %q %q", id.Original, ch.Original)
	}
}

// weighted maps x to the index of the first threshold above it.
func weighted(x int, thresholds ...int) int {
	for i, th := range thresholds {
		if x < th {
			return i
		}
	}
	return len(thresholds)
}

func TestImportHighCardinalityTopValues(t *testing.T) {
	// Mostly unique emails (beyond the exact GROUP BY limit) with two
	// heavy hitters, which the approximate top-k must find and count.
	var b strings.Builder
	b.WriteString("seq,email\n")
	n := lowCardinality + 20000
	for i := 0; i < n; i++ {
		email := fmt.Sprintf("user%d@x.com", i)
		switch {
		case i%1000 == 0:
			email = "test@test.com"
		case i%2500 == 1:
			email = "noreply@x.com"
		}
		fmt.Fprintf(&b, "%d,%s\n", i, email)
	}
	_, res := mustImport(t, "wide.csv", b.String())
	top := res.Columns[1].Top
	if len(top) < 2 || top[0] != (datasets.ValueCount{Value: "test@test.com", Count: int64(n / 1000)}) ||
		top[1] != (datasets.ValueCount{Value: "noreply@x.com", Count: int64(n / 2500)}) {
		t.Fatalf("email top %+v", top)
	}
	if res.Columns[1].Distinct < int64(n)*9/10 {
		t.Fatalf("distinct estimate %d for ~%d values", res.Columns[1].Distinct, n)
	}
}

func TestImportIsAtomic(t *testing.T) {
	db := newDB(t)
	if _, err := db.Exec(`CREATE TABLE keep AS SELECT range AS x FROM range(5)`); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bad := writeFile(t, "bad.csv", []byte(bigQuotedFile(20000, "1,2,3,4\n")))
	if _, err := Import(context.Background(), db, tmp, "t", Options{Path: bad}); err == nil {
		t.Fatal("import of a file with a long row succeeded")
	}
	assertKept(t, db)

	good := writeFile(t, "good.csv", []byte(lateSurprises()))
	for _, phase := range []string{"parsing", "typing", "deduplicating", "profiling"} {
		t.Run("cancel during "+phase, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			progress := func(p Progress) {
				if p.Phase == phase {
					cancel()
				}
			}
			_, err := Import(ctx, db, tmp, "t", Options{Path: good, Progress: progress})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
			assertKept(t, db)
		})
	}
	if _, err := Import(context.Background(), db, tmp, "keep", Options{Path: good}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("importing over an existing table: %v", err)
	}
	assertKept(t, db)
	if entries, _ := filepath.Glob(filepath.Join(tmp, "*")); len(entries) != 0 {
		t.Fatalf("temporary files left: %v", entries)
	}
}

// assertKept checks that no import table or scratch table exists and the
// unrelated table "keep" is untouched.
func assertKept(t *testing.T, db *sql.DB) {
	t.Helper()
	if got := tableNames(t, db); !reflect.DeepEqual(got, []string{"keep"}) {
		t.Fatalf("tables %q, want only keep", got)
	}
	var n, sum int
	if err := db.QueryRow(`SELECT count(*), sum(x) FROM keep`).Scan(&n, &sum); err != nil || n != 5 || sum != 10 {
		t.Fatalf("keep has %d rows sum %d (%v)", n, sum, err)
	}
}

func TestImportCancelledWhileTranscoding(t *testing.T) {
	db := newDB(t)
	tmp := t.TempDir()
	path := writeFile(t, "big.csv", []byte("id,name\n"+strings.Repeat("1,Jos\xe9\n", 400000)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Import(ctx, db, tmp, "t", Options{Path: path, Progress: func(p Progress) {
		if p.Phase == "reading" && p.BytesDone > 0 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	assertNoTables(t, db)
	if entries, _ := filepath.Glob(filepath.Join(tmp, "*")); len(entries) != 0 {
		t.Fatalf("temporary files left: %v", entries)
	}
}

func TestImportReportsProgress(t *testing.T) {
	db := newDB(t)
	var got []Progress
	path := writeFile(t, "p.csv.gz", gzipBytes(t, []byte(lateSurprises())))
	res, err := Import(context.Background(), db, t.TempDir(), "t", Options{Path: path, Progress: func(p Progress) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	order := map[string]int{"reading": 0, "parsing": 1, "typing": 2, "deduplicating": 3, "profiling": 4, "done": 5}
	for i := 1; i < len(got); i++ {
		if got[i].Percent < got[i-1].Percent || order[got[i].Phase] < order[got[i-1].Phase] {
			t.Fatalf("progress went backwards: %+v then %+v", got[i-1], got[i])
		}
	}
	last := got[len(got)-1]
	if last.Phase != "done" || last.Percent != 100 || last.Rows != res.Rows || last.BytesTotal != last.BytesDone || last.ETASeconds != 0 {
		t.Fatalf("last progress %+v", last)
	}
	seen := map[string]bool{}
	for _, p := range got {
		seen[p.Phase] = true
	}
	for phase := range order {
		if !seen[phase] {
			t.Errorf("phase %s never reported", phase)
		}
	}
}

func TestImportWideFileWithRowidColumn(t *testing.T) {
	// 130 columns need three failure masks; column 100 fails late, and a
	// user column named rowid must not confuse duplicate removal.
	const width = 130
	var b strings.Builder
	header := []string{"rowid"}
	for i := 1; i < width; i++ {
		header = append(header, fmt.Sprintf("c%d", i))
	}
	b.WriteString(strings.Join(header, ",") + "\n")
	row := func(id int, c100 string) {
		f := []string{"1"}
		for i := 1; i < width; i++ {
			f = append(f, fmt.Sprint(id*i))
		}
		f[100] = c100
		b.WriteString(strings.Join(f, ",") + "\n")
	}
	for i := 0; i < headRows+5000; i++ {
		row(i, fmt.Sprint(i))
	}
	row(1, "1")         // duplicate of row 1
	row(7, "seventy-7") // not an integer
	db, res := mustImport(t, "wide.csv", b.String())
	if res.Rows != headRows+5001 || res.DuplicatesRemoved != 1 {
		t.Fatalf("rows %d duplicates %d", res.Rows, res.DuplicatesRemoved)
	}
	types := columnTypes(t, db)
	if types["c100"] != "VARCHAR" || types["c99"] != "BIGINT" || types["rowid_2"] != "BIGINT" || len(types) != width {
		t.Fatalf("c100 %s c99 %s rowid_2 %s, %d columns", types["c100"], types["c99"], types["rowid_2"], len(types))
	}
}

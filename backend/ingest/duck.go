package ingest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
)

// scratchPrefix starts the names of the tables an import stages rows in.
const scratchPrefix = "__ingest_scratch_"

// loaded is the result of loading a file into a typed scratch table.
type loaded struct {
	scratch string
	rows    int64 // rows read, duplicates included
	types   []colType
	stats   []datasets.Column // nulls, distinct, min, max before duplicate removal
}

// maxLoads bounds re-reads: at most one retry for ragged rows, one without
// parallelism, and two demotions per column.
const maxLoads = 8

// load parses the whole file once into a scratch table of typed columns,
// re-reading only when a column's values do not all fit its inferred type
// (the column is demoted) or the file has short rows (padding is enabled).
func (im *importer) load(ctx context.Context, src *source, names []string, types []colType, smp *sample) (*loaded, error) {
	opts := readOptions{parallel: true, nullPadding: hasShortRows(smp)}
	im.prog.update("parsing", 0, 0, 0)
	for attempt := 0; attempt < maxLoads; attempt++ {
		scratch := im.newScratch()
		err := im.execTicking(ctx, "parsing", loadSQL(scratch, src, names, types, opts))
		if err != nil {
			if next, retry := retryOptions(err, opts); retry {
				opts = next
				continue
			}
			return nil, im.duckErr(err)
		}
		im.prog.update("typing", 0, im.size, 0)
		ld, failed, err := im.check(ctx, scratch, names, types)
		if err != nil {
			return nil, err
		}
		if ld.rows == 0 {
			// Go read data rows from the sample, so DuckDB reading none
			// means the two disagree about the file's layout.
			return nil, im.fail(0, "no data rows could be read (unusual line endings or quoting?)")
		}
		if len(failed) == 0 {
			return ld, nil
		}
		for _, i := range failed {
			types[i] = demote(types[i])
		}
		if err := im.drop(ctx, scratch); err != nil {
			return nil, err
		}
	}
	return nil, im.fail(0, "could not settle the column types after %d passes", maxLoads)
}

// hasShortRows reports sample records with fewer fields than the header.
func hasShortRows(s *sample) bool {
	for _, r := range s.rows {
		if len(r) < len(s.header) {
			return true
		}
	}
	return false
}

var (
	reCSVLine      = regexp.MustCompile(`CSV Error on Line: (\d+)`)
	reColumns      = regexp.MustCompile(`Expected Number of Columns: (\d+) Found: (\d+)`)
	reFirstLine    = regexp.MustCompile(`^(?:[A-Za-z ]+Error: )?(.*)`)
	errParallelPad = "does not support null_padding in conjunction with quoted new lines"
)

// retryOptions decides whether a DuckDB read error is fixed by other
// read_csv options: short rows need null_padding, which DuckDB cannot
// combine with parallel reading when fields contain newlines.
func retryOptions(err error, o readOptions) (readOptions, bool) {
	msg := err.Error()
	if m := reColumns.FindStringSubmatch(msg); m != nil && !o.nullPadding {
		want, _ := strconv.Atoi(m[1])
		got, _ := strconv.Atoi(m[2])
		if got < want {
			o.nullPadding = true
			return o, true
		}
	}
	if strings.Contains(msg, errParallelPad) && o.parallel {
		o.parallel = false
		return o, true
	}
	return o, false
}

// duckErr turns a DuckDB CSV error into a user-facing *Error naming the
// line (DuckDB counts records, the header being line 1, which is also the
// row number a spreadsheet shows).
func (im *importer) duckErr(err error) error {
	msg := err.Error()
	var line int64
	if m := reCSVLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.ParseInt(m[1], 10, 64)
	}
	switch {
	case reColumns.MatchString(msg):
		m := reColumns.FindStringSubmatch(msg)
		return im.fail(line, "expected %s fields, found %s", m[1], im.countFields(msg, m[2]))
	case strings.Contains(msg, "unterminated quote"):
		return im.fail(line, "a quoted field is never closed (unterminated quote)")
	case strings.Contains(strings.ToLower(msg), "invalid unicode"):
		return im.fail(line, "text is not valid UTF-8 here although the file starts as UTF-8; save the whole file as UTF-8 and import it again")
	case strings.Contains(msg, "Maximum line size"):
		return im.fail(line, "a row is longer than DuckDB's 2 MB line limit")
	case line > 0 || strings.Contains(msg, "CSV"):
		first := strings.SplitN(msg, "\n", 2)[0]
		first = reFirstLine.FindStringSubmatch(first)[1]
		first = strings.TrimSpace(reCSVLine.ReplaceAllString(first, ""))
		return im.fail(line, "cannot read this row: %s", first)
	}
	return fmt.Errorf("import %s: %w", im.file, err)
}

var reOriginalLine = regexp.MustCompile(`(?s)Original Line: (.*?)\nExpected Number of Columns`)

// countFields recounts the fields of the offending line quoted in a DuckDB
// error: DuckDB stops counting one past the expected number.
func (im *importer) countFields(msg, duckCount string) string {
	m := reOriginalLine.FindStringSubmatch(msg)
	if m == nil || im.src == nil {
		return duckCount
	}
	counts := fieldCounts([]byte(m[1]), im.src.separator, 1)
	if len(counts) == 0 {
		return duckCount
	}
	return strconv.Itoa(counts[0])
}

// check runs checkSQL on a freshly loaded scratch table and returns the
// columns whose text did not convert to their type.
func (im *importer) check(ctx context.Context, scratch string, names []string, types []colType) (*loaded, []int, error) {
	masks := make([]int64, (len(names)-1)/maskBits+1)
	ld := &loaded{scratch: scratch, types: types, stats: make([]datasets.Column, len(names))}
	mins := make([]sql.NullString, len(names))
	maxs := make([]sql.NullString, len(names))
	dest := []any{&ld.rows}
	for k := range masks {
		dest = append(dest, &masks[k])
	}
	for i := range names {
		dest = append(dest, &ld.stats[i].Nulls, &ld.stats[i].Distinct, &mins[i], &maxs[i])
	}
	if err := im.db.QueryRowContext(ctx, checkSQL(scratch, names)).Scan(dest...); err != nil {
		return nil, nil, fmt.Errorf("verify column types: %w", err)
	}
	var failed []int
	for i := range names {
		ld.stats[i].Nulls = ld.rows - ld.stats[i].Nulls // the query counted non-null values
		ld.stats[i].Min, ld.stats[i].Max = clip(mins[i].String), clip(maxs[i].String)
		if masks[i/maskBits]&(int64(1)<<(i%maskBits)) != 0 {
			failed = append(failed, i)
		}
	}
	return ld, failed, nil
}

// dedup drops the mask columns and deletes every repeat of a row but its
// first occurrence. Only rows whose hash occurs more than once are
// compared in full, so this costs a hash aggregate and a semi-join, not a
// rewrite of the table.
func (im *importer) dedup(ctx context.Context, ld *loaded, names []string) (int64, error) {
	im.prog.update("deduplicating", 0, im.size, ld.rows)
	table := engine.QuoteIdent(ld.scratch)
	for k := 0; k <= (len(names)-1)/maskBits; k++ {
		if _, err := im.db.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", table, maskName(k))); err != nil {
			return 0, fmt.Errorf("finish scratch table: %w", err)
		}
	}
	cols := make([]string, len(names))
	for i, n := range names {
		cols[i] = engine.QuoteIdent(n)
	}
	all := strings.Join(cols, ", ")
	q := fmt.Sprintf(`DELETE FROM %[1]s WHERE rowid IN (
		SELECT rowid FROM (
			SELECT rowid, row_number() OVER (PARTITION BY %[2]s ORDER BY rowid) AS n FROM %[1]s
			WHERE hash(%[2]s) IN (SELECT h FROM (SELECT hash(%[2]s) AS h FROM %[1]s) GROUP BY h HAVING count(*) > 1)
		) WHERE n > 1)`, table, all)
	res, err := im.db.ExecContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("remove duplicate rows: %w", err)
	}
	deleted, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	return ld.rows - deleted, nil
}

// publish renames the finished scratch table to its final name in one
// transaction, so the table appears complete or not at all.
func (im *importer) publish(ctx context.Context, final string) error {
	tx, err := im.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	q := fmt.Sprintf("ALTER TABLE %s RENAME TO %s", engine.QuoteIdent(final), engine.QuoteIdent(im.table))
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("publish table: %w", err)
	}
	return tx.Commit()
}

// execTicking runs a long statement while reporting estimated progress.
func (im *importer) execTicking(ctx context.Context, phase, query string) error {
	stop := make(chan struct{})
	done := make(chan struct{})
	expected := time.Duration(float64(im.textSize)/assumedParseRate*float64(time.Second)) + time.Second
	go func() {
		defer close(done)
		im.prog.tick(phase, expected, stop)
	}()
	_, err := im.db.ExecContext(ctx, query)
	close(stop)
	<-done
	return err
}

// newScratch names a new scratch table and remembers it for cleanup.
func (im *importer) newScratch() string {
	b := make([]byte, 6)
	rand.Read(b)
	name := scratchPrefix + hex.EncodeToString(b)
	im.scratch = append(im.scratch, name)
	return name
}

func (im *importer) drop(ctx context.Context, table string) error {
	if _, err := im.db.ExecContext(ctx, "DROP TABLE IF EXISTS "+engine.QuoteIdent(table)); err != nil {
		return fmt.Errorf("drop scratch table: %w", err)
	}
	return nil
}

var reTableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

func validTableName(name string) bool {
	return reTableName.MatchString(name) && !strings.HasPrefix(name, scratchPrefix)
}

func tableExists(ctx context.Context, db *sql.DB, name string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = current_schema()`, name).Scan(&n)
	return n > 0, err
}

// duckType is the DuckDB type a column of each kind is stored as.
func duckType(kind string) string {
	switch kind {
	case typeInteger:
		return "BIGINT"
	case typeDecimal, typePercent:
		return "DOUBLE"
	case typeCurrency:
		return "DECIMAL(18,2)"
	case typeBoolean:
		return "BOOLEAN"
	case typeDate:
		return "DATE"
	case typeDatetime:
		return "TIMESTAMP"
	}
	return "VARCHAR"
}

// lowCardinality is the distinct-count estimate up to which a column's
// top values are found by an exact GROUP BY; above it a GROUP BY would
// hash millions of mostly-unique values, so candidates come from a sample
// and only they are counted exactly.
const lowCardinality = 100000

// profile completes the statistics gathered by check: null counts are
// recounted if duplicate rows were removed, then the top 5 values.
func (im *importer) profile(ctx context.Context, ld *loaded, names, originals []string, rows int64) ([]datasets.Column, error) {
	im.prog.update("profiling", 0, im.size, rows)
	cols := ld.stats
	if rows != ld.rows {
		if err := im.recountNulls(ctx, ld.scratch, names, cols, rows); err != nil {
			return nil, err
		}
	}
	var few, many []int
	for i := range cols {
		cols[i].Name, cols[i].Original, cols[i].Type = names[i], strings.TrimSpace(originals[i]), ld.types[i].kind
		if rows > 0 {
			cols[i].NullPct = float64(cols[i].Nulls) * 100 / float64(rows)
		}
		cols[i].Distinct = min(cols[i].Distinct, rows-cols[i].Nulls)
		cols[i].Top = []datasets.ValueCount{}
		if cols[i].Distinct <= lowCardinality {
			few = append(few, i)
		} else {
			many = append(many, i)
		}
	}
	if err := im.topExact(ctx, ld.scratch, names, few, cols); err != nil {
		return nil, err
	}
	im.prog.update("profiling", 0.5, im.size, rows)
	if err := im.topApprox(ctx, ld.scratch, names, ld.types, many, cols); err != nil {
		return nil, err
	}
	return cols, nil
}

// maxProfileText bounds min/max/top strings kept in the profile.
const maxProfileText = 200

// topN is how many of a column's most frequent values the profile keeps.
const topN = 5

// recountNulls counts NULLs per column after duplicate removal; counting
// is cheap as it only reads validity masks.
func (im *importer) recountNulls(ctx context.Context, table string, names []string, cols []datasets.Column, rows int64) error {
	parts := make([]string, len(names))
	dest := make([]any, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("count(%s)", engine.QuoteIdent(n))
		dest[i] = &cols[i].Nulls
	}
	q := fmt.Sprintf("SELECT %s FROM %s", strings.Join(parts, ", "), engine.QuoteIdent(table))
	if err := im.db.QueryRowContext(ctx, q).Scan(dest...); err != nil {
		return fmt.Errorf("profile columns: %w", err)
	}
	for i := range cols {
		cols[i].Nulls = rows - cols[i].Nulls
	}
	return nil
}

// topExact finds the top values of low-cardinality columns with one
// GROUP BY per column, all in one statement.
func (im *importer) topExact(ctx context.Context, table string, names []string, which []int, cols []datasets.Column) error {
	if len(which) == 0 {
		return nil
	}
	parts := make([]string, len(which))
	for k, i := range which {
		c := engine.QuoteIdent(names[i])
		parts[k] = fmt.Sprintf("(SELECT %d AS i, CAST(%s AS VARCHAR) AS v, count(*) AS n FROM %s WHERE %s IS NOT NULL GROUP BY %s ORDER BY n DESC, %s LIMIT %d)",
			i, c, engine.QuoteIdent(table), c, c, c, topN)
	}
	rows, err := im.db.QueryContext(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return fmt.Errorf("profile top values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var vc datasets.ValueCount
		if err := rows.Scan(&i, &vc.Value, &vc.Count); err != nil {
			return err
		}
		vc.Value = clip(vc.Value)
		cols[i].Top = append(cols[i].Top, vc)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("profile top values: %w", err)
	}
	for _, i := range which {
		sortTop(cols[i].Top)
	}
	return nil
}

// topSampleRows is the size of the row sample that proposes top-value
// candidates for high-cardinality columns: a value making up 0.1% of the
// rows shows up about 100 times in it.
const topSampleRows = 100000

// topApprox finds top-value candidates of high-cardinality columns from a
// reservoir sample and counts them exactly, in one more scan. (DuckDB's
// approx_top_k missed a value making up 0.1% of 120k mostly-unique
// values, see TestImportHighCardinalityTopValues.)
func (im *importer) topApprox(ctx context.Context, table string, names []string, types []colType, which []int, cols []datasets.Column) error {
	if len(which) == 0 {
		return nil
	}
	quoted := make([]string, len(which))
	parts := make([]string, len(which))
	for k, i := range which {
		quoted[k] = engine.QuoteIdent(names[i])
		parts[k] = fmt.Sprintf("(SELECT %d AS i, CAST(%s AS VARCHAR) AS v FROM s WHERE %[2]s IS NOT NULL GROUP BY %[2]s ORDER BY count(*) DESC, %[2]s LIMIT %d)",
			i, quoted[k], topN)
	}
	q := fmt.Sprintf("WITH s AS (SELECT %s FROM %s USING SAMPLE reservoir(%d ROWS) REPEATABLE (7)) %s",
		strings.Join(quoted, ", "), engine.QuoteIdent(table), topSampleRows, strings.Join(parts, " UNION ALL "))
	rows, err := im.db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("profile top values: %w", err)
	}
	candidates := map[int][]string{}
	for rows.Next() {
		var i int
		var v string
		if err := rows.Scan(&i, &v); err != nil {
			rows.Close()
			return err
		}
		candidates[i] = append(candidates[i], v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("profile top values: %w", err)
	}
	var filters []string
	var args []any
	var owner []int
	for _, i := range which {
		for _, v := range candidates[i] {
			filters = append(filters, fmt.Sprintf("count(*) FILTER (WHERE %s = CAST(? AS %s))", engine.QuoteIdent(names[i]), duckType(types[i].kind)))
			args = append(args, v)
			owner = append(owner, i)
		}
	}
	if len(filters) == 0 {
		return nil
	}
	counts := make([]int64, len(filters))
	cdest := make([]any, len(filters))
	for k := range counts {
		cdest[k] = &counts[k]
	}
	q = fmt.Sprintf("SELECT %s FROM %s", strings.Join(filters, ", "), engine.QuoteIdent(table))
	if err := im.db.QueryRowContext(ctx, q, args...).Scan(cdest...); err != nil {
		return fmt.Errorf("profile top values: %w", err)
	}
	for k, i := range owner {
		cols[i].Top = append(cols[i].Top, datasets.ValueCount{Value: clip(args[k].(string)), Count: counts[k]})
	}
	for _, i := range which {
		sortTop(cols[i].Top)
	}
	return nil
}

// sortTop orders values by count, then value, for a stable display.
func sortTop(top []datasets.ValueCount) {
	sort.SliceStable(top, func(a, b int) bool {
		if top[a].Count != top[b].Count {
			return top[a].Count > top[b].Count
		}
		return top[a].Value < top[b].Value
	})
}

func clip(s string) string {
	if len(s) <= maxProfileText {
		return s
	}
	cut := maxProfileText
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

package ingest

import (
	"fmt"
	"strings"

	"leadnavigator/backend/engine"
)

// maskBits is how many columns share one failure-mask column.
const maskBits = 62

// readOptions are the read_csv settings that vary between attempts.
type readOptions struct {
	nullPadding bool // pad short rows with NULL
	parallel    bool // DuckDB refuses null_padding with quoted newlines when parallel
}

// rawName is the name read_csv gives column i; the typed output uses the
// normalized names.
func rawName(i int) string { return fmt.Sprintf("c%d", i) }

// nullStrings are the spellings of the missing-value tokens DuckDB's
// reader turns into NULL: lower, upper and title case of each. DuckDB
// compares them case-sensitively and every extra entry slows parsing
// (all 42 case variants cost ~20% of the parse time), so rarer spellings
// such as "nULL" are caught in typed columns by the failure mask (see
// loadSQL) and stay as written in text columns.
func nullStrings() []string {
	out := []string{""}
	seen := map[string]bool{"": true}
	for _, tok := range missingTokens {
		for _, v := range []string{tok, strings.ToUpper(tok), titleCase(tok)} {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// readCSV renders the read_csv table function for a prepared source. All
// columns are read as VARCHAR under generated names; Go already parsed the
// header, so DuckDB's sniffer is off. strict_mode is deliberately left at
// its default: set explicitly to true, DuckDB 1.5 silently reads zero rows
// from CRLF files (TestImportCRLF).
func readCSV(src *source, width int, o readOptions) string {
	cols := make([]string, width)
	for i := range cols {
		cols[i] = engine.QuoteString(rawName(i)) + ": 'VARCHAR'"
	}
	nulls := nullStrings()
	for i, n := range nulls {
		nulls[i] = engine.QuoteString(n)
	}
	return fmt.Sprintf("read_csv(%s, delim=%s, quote='\"', escape='\"', header=true, auto_detect=false, "+
		"new_line=%s, columns={%s}, nullstr=[%s], null_padding=%t, parallel=%t)",
		engine.QuoteString(src.path), engine.QuoteString(string(src.separator)), engine.QuoteString(newlineOption(src.newline)),
		strings.Join(cols, ", "), strings.Join(nulls, ", "), o.nullPadding, o.parallel)
}

// convertSQL converts the trimmed raw text t of a column to its type;
// values that do not convert become NULL (and are counted as failures).
func convertSQL(t colType, x string) string {
	switch t.kind {
	case typeInteger:
		// DuckDB rounds '3.5' to 4 when casting to BIGINT; a decimal
		// point or exponent must fail so the column is demoted instead.
		return fmt.Sprintf("CASE WHEN strpos(%[1]s, '.') = 0 AND strpos(lower(%[1]s), 'e') = 0 THEN TRY_CAST(replace(%[1]s, ',', '') AS BIGINT) END", x)
	case typeDecimal:
		return fmt.Sprintf("TRY_CAST(replace(%s, ',', '') AS DOUBLE)", x)
	case typeCurrency:
		digits := x
		for _, sym := range []string{"(", ")", ",", "$", "€", "£", " "} {
			digits = fmt.Sprintf("replace(%s, %s, '')", digits, engine.QuoteString(sym))
		}
		return fmt.Sprintf("TRY_CAST(CASE WHEN starts_with(%[1]s, '(') THEN -1 ELSE 1 END * TRY_CAST(%[2]s AS DECIMAL(18,2)) AS DECIMAL(18,2))", x, digits)
	case typePercent:
		return fmt.Sprintf("TRY_CAST(rtrim(rtrim(%s, '%%')) AS DOUBLE)", x)
	case typeBoolean:
		return fmt.Sprintf("CASE lower(%s) WHEN 'yes' THEN true WHEN 'y' THEN true WHEN 'true' THEN true "+
			"WHEN 'no' THEN false WHEN 'n' THEN false WHEN 'false' THEN false END", x)
	case typeDate:
		return fmt.Sprintf("CAST(try_strptime(%s, %s) AS DATE)", x, formatList(t.formats))
	case typeDatetime:
		return fmt.Sprintf("try_strptime(%s, %s)", x, formatList(t.formats))
	}
	return x
}

func formatList(formats []string) string {
	q := make([]string, len(formats))
	for i, f := range formats {
		q[i] = engine.QuoteString(f)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// missingList is the SQL list of lower-case missing-value tokens. A typed
// column's value that failed to convert but is one of them (in a case
// spelling nullStrings leaves to SQL) is a NULL, not a failure. It is
// used with list_contains: "NOT IN (...)" in a hundred columns made
// DuckDB 1.5 run out of memory (TestImportWideFileWithRowidColumn).
func missingList() string {
	q := make([]string, 0, len(missingTokens))
	for _, m := range missingTokens {
		if m != "" {
			q = append(q, engine.QuoteString(m))
		}
	}
	return strings.Join(q, ", ")
}

// maskName is the name of failure-mask column k.
func maskName(k int) string { return fmt.Sprintf("__ingest_mask_%d", k) }

// loadSQL builds the statement that parses the file once and stores typed
// columns plus failure masks: bit i%maskBits of mask i/maskBits is set on
// rows where typed column i had text that did not convert.
func loadSQL(scratch string, src *source, names []string, types []colType, o readOptions) string {
	inner := make([]string, len(names))
	middle := make([]string, 0, 2*len(names))
	outer := make([]string, 0, len(names)+1)
	masks := map[int][]string{}
	for i, name := range names {
		t := fmt.Sprintf("__ingest_t%d", i)
		// Typed columns tolerate padding (" 12 ", blank = NULL); text is
		// kept as written, which spares a string copy per value.
		inner[i] = fmt.Sprintf("%s AS %s", rawName(i), t)
		if types[i].kind != typeText {
			inner[i] = fmt.Sprintf("NULLIF(trim(%s), '') AS %s", rawName(i), t)
		}
		middle = append(middle, fmt.Sprintf("%s AS %s", convertSQL(types[i], t), engine.QuoteIdent(name)))
		outer = append(outer, engine.QuoteIdent(name))
		if types[i].kind != typeText {
			middle = append(middle, t)
			masks[i/maskBits] = append(masks[i/maskBits], fmt.Sprintf("CASE WHEN %[1]s IS NOT NULL AND %[2]s IS NULL AND NOT list_contains([%[3]s], lower(%[1]s)) THEN %[4]d ELSE 0 END",
				t, engine.QuoteIdent(name), missingList(), int64(1)<<(i%maskBits)))
		}
	}
	for k := 0; k <= (len(names)-1)/maskBits; k++ {
		expr := "0"
		if len(masks[k]) > 0 {
			expr = strings.Join(masks[k], " | ")
		}
		outer = append(outer, fmt.Sprintf("CAST(%s AS BIGINT) AS %s", expr, maskName(k)))
	}
	return fmt.Sprintf("CREATE TABLE %s AS SELECT %s FROM (SELECT %s FROM (SELECT %s FROM %s))",
		engine.QuoteIdent(scratch), strings.Join(outer, ", "), strings.Join(middle, ", "),
		strings.Join(inner, ", "), readCSV(src, len(names), o))
}

// checkSQL scans a freshly loaded scratch table once for: row count, the
// OR of the failure masks, and per column the non-null count, approximate
// distinct count, min and max. Removing duplicate rows later changes none
// of the last three, so the profile reuses them.
func checkSQL(scratch string, names []string) string {
	cols := make([]string, len(names))
	for i, n := range names {
		cols[i] = engine.QuoteIdent(n)
	}
	parts := []string{"count(*)"}
	for k := 0; k <= (len(names)-1)/maskBits; k++ {
		parts = append(parts, fmt.Sprintf("COALESCE(bit_or(%s), 0)", maskName(k)))
	}
	for _, c := range cols {
		parts = append(parts, fmt.Sprintf("count(%[1]s), approx_count_distinct(%[1]s), CAST(min(%[1]s) AS VARCHAR), CAST(max(%[1]s) AS VARCHAR)", c))
	}
	return fmt.Sprintf("SELECT %s FROM %s", strings.Join(parts, ", "), engine.QuoteIdent(scratch))
}

// newlineOption spells a line ending the way read_csv's new_line wants it.
func newlineOption(nl string) string {
	if nl == "\r\n" {
		return `\r\n`
	}
	return `\n`
}

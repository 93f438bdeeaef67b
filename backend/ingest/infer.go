package ingest

import (
	"strings"
	"time"
)

// Column types, as stored in datasets.Column.Type. DuckDB storage:
// integer BIGINT, decimal DOUBLE, currency DECIMAL(18,2), percent DOUBLE
// holding the number as written (12.5% -> 12.5), boolean BOOLEAN, date
// DATE, datetime TIMESTAMP, text VARCHAR.
const (
	typeInteger  = "integer"
	typeDecimal  = "decimal"
	typeCurrency = "currency"
	typePercent  = "percent"
	typeBoolean  = "boolean"
	typeDate     = "date"
	typeDatetime = "datetime"
	typeText     = "text"
)

// missingTokens are read as NULL, case-insensitively.
var missingTokens = []string{"", "na", "n/a", "null", "none", "-"}

func isMissing(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) > 4 {
		return false
	}
	for _, m := range missingTokens {
		if strings.EqualFold(s, m) {
			return true
		}
	}
	return false
}

var boolWords = map[string]bool{"yes": true, "y": true, "true": true, "no": false, "n": false, "false": false}

// timeFormat pairs a Go layout (to test sample values) with the DuckDB
// strptime format that parses the same text.
type timeFormat struct {
	goLayout   string
	duck       string
	datetime   bool
	dayFirst   bool // 31/01/2026: conflicts with the month-first formats
	monthFirst bool
}

// timeFormats in order of preference: a value matching several formats is
// credited to the first, so US month-first wins over day-first unless a
// value only fits day-first.
var timeFormats = []timeFormat{
	{goLayout: "2006-01-02", duck: "%Y-%m-%d"},
	{goLayout: "1/2/2006", duck: "%m/%d/%Y", monthFirst: true},
	{goLayout: "2/1/2006", duck: "%d/%m/%Y", dayFirst: true},
	{goLayout: "1/2/06", duck: "%m/%d/%y", monthFirst: true},
	{goLayout: "2006/1/2", duck: "%Y/%m/%d"},
	{goLayout: "1-2-2006", duck: "%m-%d-%Y", monthFirst: true},
	{goLayout: "2.1.2006", duck: "%d.%m.%Y", dayFirst: true},
	{goLayout: "Jan 2, 2006", duck: "%b %d, %Y"},
	{goLayout: "January 2, 2006", duck: "%B %d, %Y"},
	{goLayout: "2 Jan 2006", duck: "%d %b %Y"},
	{goLayout: "2006-01-02T15:04:05", duck: "%Y-%m-%dT%H:%M:%S", datetime: true},
	{goLayout: "2006-01-02T15:04:05Z", duck: "%Y-%m-%dT%H:%M:%SZ", datetime: true},
	{goLayout: "2006-01-02T15:04:05.999999", duck: "%Y-%m-%dT%H:%M:%S.%f", datetime: true},
	{goLayout: "2006-01-02T15:04", duck: "%Y-%m-%dT%H:%M", datetime: true},
	{goLayout: "2006-01-02 15:04:05", duck: "%Y-%m-%d %H:%M:%S", datetime: true},
	{goLayout: "2006-01-02 15:04:05.999999", duck: "%Y-%m-%d %H:%M:%S.%f", datetime: true},
	{goLayout: "2006-01-02 15:04", duck: "%Y-%m-%d %H:%M", datetime: true},
	{goLayout: "1/2/2006 15:04:05", duck: "%m/%d/%Y %H:%M:%S", datetime: true, monthFirst: true},
	{goLayout: "1/2/2006 15:04", duck: "%m/%d/%Y %H:%M", datetime: true, monthFirst: true},
	{goLayout: "1/2/2006 3:04:05 PM", duck: "%m/%d/%Y %I:%M:%S %p", datetime: true, monthFirst: true},
	{goLayout: "1/2/2006 3:04 PM", duck: "%m/%d/%Y %I:%M %p", datetime: true, monthFirst: true},
	{goLayout: "2/1/2006 15:04", duck: "%d/%m/%Y %H:%M", datetime: true, dayFirst: true},
}

// colType is the inferred type of a column; formats are the strptime
// formats for date and datetime columns.
type colType struct {
	kind    string
	formats []string
}

// columnStats accumulates what the sample values of one column could be.
type columnStats struct {
	values                  int
	allBool, allInt, allDec bool
	allCur, allPct, allTime bool
	anySymbol, anyPercent   bool
	leadingZero, tooLong    bool
	monthHits, dayHits      []int // per timeFormats index: values credited
	dayMiss                 bool  // a value fits only month-first formats
}

func newColumnStats() *columnStats {
	return &columnStats{allBool: true, allInt: true, allDec: true, allCur: true, allPct: true, allTime: true,
		monthHits: make([]int, len(timeFormats)), dayHits: make([]int, len(timeFormats))}
}

// add records one non-missing, trimmed value.
func (c *columnStats) add(v string) {
	c.values++
	if c.allBool {
		_, ok := boolWords[strings.ToLower(v)]
		c.allBool = ok
	}
	n := classifyNumber(v)
	c.allInt = c.allInt && n.integer
	c.allDec = c.allDec && n.decimal
	c.allCur = c.allCur && n.currency
	c.allPct = c.allPct && n.percent
	c.anySymbol = c.anySymbol || n.symbol
	c.anyPercent = c.anyPercent || n.pctSign
	if n.integer {
		c.leadingZero = c.leadingZero || n.leadingZero
		c.tooLong = c.tooLong || n.digits > 18
	}
	if c.allTime {
		c.addTime(v)
	}
}

// addTime credits v to the first time format it fits under two
// preferences: month-first (US) and day-first (formats like 1/2/2006 are
// skipped). A column reads as dates if all its values fit one preference.
func (c *columnStats) addTime(v string) {
	if !maybeTime(v) {
		c.allTime = false
		return
	}
	month, day := -1, -1
	for i, f := range timeFormats {
		if month >= 0 && (day >= 0 || f.monthFirst) {
			continue
		}
		if _, err := time.Parse(f.goLayout, v); err != nil {
			continue
		}
		if month < 0 {
			month = i
		}
		if day < 0 && !f.monthFirst {
			day = i
		}
	}
	if month < 0 {
		c.allTime = false
		return
	}
	c.monthHits[month]++
	if day >= 0 {
		c.dayHits[day]++
	} else {
		c.dayMiss = true
	}
}

// maybeTime cheaply rejects values that cannot be dates, so text and
// number columns do not pay for trying every layout.
func maybeTime(v string) bool {
	if len(v) < 6 || len(v) > 32 {
		return false
	}
	if c := v[0]; c < '0' || c > '9' {
		if len(v) < 3 {
			return false
		}
		switch strings.ToLower(v[:3]) {
		case "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec":
		default:
			return false
		}
	}
	return strings.Count(v, "/")+strings.Count(v, "-")+strings.Count(v, ".")+strings.Count(v, " ") >= 2
}

// result picks the most specific type every sample value fits.
func (c *columnStats) result() colType {
	switch {
	case c.values == 0:
		return colType{kind: typeText}
	case c.allBool:
		return colType{kind: typeBoolean}
	case c.allInt && !c.leadingZero && !c.tooLong:
		return colType{kind: typeInteger}
	case c.allInt && (c.leadingZero || c.tooLong):
		return colType{kind: typeText} // ZIP codes, phone numbers, long IDs keep their digits
	case c.allDec:
		return colType{kind: typeDecimal}
	case c.allCur && c.anySymbol:
		return colType{kind: typeCurrency}
	case c.allPct && c.anyPercent:
		return colType{kind: typePercent}
	case c.allTime:
		return c.timeType()
	}
	return colType{kind: typeText}
}

// timeType chooses date or datetime and the formats to try. Month-first
// and day-first formats are never mixed: a column with 13/01/2026 is read
// day-first throughout, or as text if another value only fits month-first.
func (c *columnStats) timeType() colType {
	hits := c.monthHits
	if usesDayFirst(hits) {
		if c.dayMiss {
			return colType{kind: typeText}
		}
		hits = c.dayHits
	}
	t := colType{kind: typeDate}
	for i, n := range hits {
		if n > 0 {
			t.formats = append(t.formats, timeFormats[i].duck)
			if timeFormats[i].datetime {
				t.kind = typeDatetime
			}
		}
	}
	return t
}

func usesDayFirst(hits []int) bool {
	for i, n := range hits {
		if n > 0 && timeFormats[i].dayFirst {
			return true
		}
	}
	return false
}

// numberShape describes which numeric types a value fits.
type numberShape struct {
	integer, decimal, currency, percent bool
	symbol, pctSign, leadingZero        bool
	digits                              int
}

// classifyNumber parses the shapes accepted for numbers: optional sign,
// parentheses for negatives, a currency symbol ($ € £) before or after,
// a trailing %, thousands separators in groups of three, a decimal part
// and (for plain decimals) an exponent.
func classifyNumber(v string) numberShape {
	var s numberShape
	paren := strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")")
	if paren {
		v = strings.TrimSpace(v[1 : len(v)-1])
	}
	sign := false
	if v != "" && (v[0] == '-' || v[0] == '+') {
		v, sign = strings.TrimSpace(v[1:]), true
	}
	v, s.symbol = trimCurrency(v)
	if !sign && v != "" && (v[0] == '-' || v[0] == '+') {
		v, sign = v[1:], true
	}
	if strings.HasSuffix(v, "%") {
		v, s.pctSign = strings.TrimSpace(v[:len(v)-1]), true
	}
	core, ok := parseDigits(v)
	if !ok || (sign && paren) || (s.symbol && s.pctSign) {
		return numberShape{}
	}
	plain := !s.symbol && !s.pctSign && !paren
	s.digits = core.intDigits
	s.leadingZero = core.leadingZero
	s.integer = plain && !core.fraction && !core.exponent
	s.decimal = plain
	s.currency = !s.pctSign && !core.exponent
	s.percent = !s.symbol && !paren && !core.exponent
	return s
}

func trimCurrency(v string) (string, bool) {
	for _, sym := range []string{"$", "€", "£"} {
		if strings.HasPrefix(v, sym) {
			return strings.TrimSpace(v[len(sym):]), true
		}
		if strings.HasSuffix(v, sym) {
			return strings.TrimSpace(v[:len(v)-len(sym)]), true
		}
	}
	return v, false
}

type digitsShape struct {
	intDigits                       int
	leadingZero, fraction, exponent bool
}

// parseDigits accepts 1234, 1,234, 1234.5, .5 and 1.5e3 (no commas with an
// exponent).
func parseDigits(v string) (digitsShape, bool) {
	var d digitsShape
	i, commas, group := 0, false, 0
	for ; i < len(v); i++ {
		c := v[i]
		if c >= '0' && c <= '9' {
			d.intDigits++
			group++
			continue
		}
		if c == ',' && d.intDigits > 0 && (!commas && group <= 3 || commas && group == 3) {
			commas, group = true, 0
			continue
		}
		break
	}
	if commas && group != 3 {
		return d, false
	}
	d.leadingZero = d.intDigits > 1 && v[0] == '0'
	if i < len(v) && v[i] == '.' {
		i++
		start := i
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		d.fraction = i > start
		if !d.fraction && d.intDigits == 0 {
			return d, false
		}
	}
	if d.intDigits == 0 && !d.fraction {
		return d, false
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') && !commas {
		i++
		if i < len(v) && (v[i] == '-' || v[i] == '+') {
			i++
		}
		start := i
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		d.exponent = i > start
		if !d.exponent {
			return d, false
		}
	}
	return d, i == len(v)
}

// inferTypes infers each column's type from the sample records.
func inferTypes(s *sample) []colType {
	stats := make([]*columnStats, len(s.header))
	for i := range stats {
		stats[i] = newColumnStats()
	}
	for _, rec := range s.rows {
		for i, v := range rec {
			if i < len(stats) && !isMissing(v) {
				stats[i].add(strings.TrimSpace(v))
			}
		}
	}
	types := make([]colType, len(stats))
	for i, st := range stats {
		types[i] = st.result()
	}
	return types
}

// demote returns the next more general type after a column failed
// verification: integers may really be decimals; anything else is text.
func demote(t colType) colType {
	if t.kind == typeInteger {
		return colType{kind: typeDecimal}
	}
	return colType{kind: typeText}
}

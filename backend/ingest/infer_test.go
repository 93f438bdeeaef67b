package ingest

import (
	"reflect"
	"testing"
)

func TestClassifyNumber(t *testing.T) {
	type shape struct{ integer, decimal, currency, percent bool }
	cases := map[string]shape{
		"42":        {true, true, true, true},
		"-7":        {true, true, true, true},
		"1,234":     {true, true, true, true},
		"1,234.50":  {false, true, true, true},
		"3.14":      {false, true, true, true},
		".5":        {false, true, true, true},
		"1e6":       {false, true, false, false},
		"$1,234.50": {false, false, true, false},
		"-$5.00":    {false, false, true, false},
		"$-5.00":    {false, false, true, false},
		"(5.00)":    {false, false, true, false},
		"€12":       {false, false, true, false},
		"12 €":      {false, false, true, false},
		"12.5%":     {false, false, false, true},
		"-3%":       {false, false, false, true},
		"12,34":     {},
		"1,2345":    {},
		"abc":       {},
		"$":         {},
		"%":         {},
		"1.2.3":     {},
		"$5%":       {},
		"-(5)":      {},
	}
	for in, want := range cases {
		s := classifyNumber(in)
		got := shape{s.integer, s.decimal, s.currency, s.percent}
		if got != want {
			t.Errorf("%q: got %+v, want %+v", in, got, want)
		}
	}
}

func TestInferTypes(t *testing.T) {
	header := []string{"int", "dec", "cur", "pct", "bool", "us_date", "iso_date", "iso_dt", "space_dt", "eu_date", "mixed", "zip", "empty", "mixed_date_order", "int_with_missing"}
	rows := [][]string{
		{"1", "1.5", "$1,234.50", "12.5%", "yes", "01/31/2026", "2026-01-31", "2026-01-31T10:00:00", "2026-01-31 10:00", "31/01/2026", "42", "02134", "", "01/31/2026", "NA"},
		{"-2", "3", "-$5.00", "3%", "No", "1/5/2026", "2026-02-01", "2026-02-01T11:30:00", "2026-02-01 09:15", "05/02/2026", "hello", "10001", "null", "13/01/2026", "7"},
		{"1,000", "2.25", "(5.00)", "0.5", "Y", "12/1/2025", "2025-12-31", "2026-02-01T11:30:00", "2026-02-01", "1/12/2025", "3.5", "94105", "-", "02/03/2026", " 8 "},
	}
	want := []string{typeInteger, typeDecimal, typeCurrency, typePercent, typeBoolean, typeDate, typeDate, typeDatetime, typeDatetime, typeDate, typeText, typeText, typeText, typeText, typeInteger}
	types := inferTypes(&sample{header: header, rows: rows})
	for i, ty := range types {
		if ty.kind != want[i] {
			t.Errorf("column %s: got %s, want %s", header[i], ty.kind, want[i])
		}
	}
	if got := types[5].formats; !reflect.DeepEqual(got, []string{"%m/%d/%Y"}) {
		t.Errorf("us_date formats %q", got)
	}
	if got := types[9].formats; !reflect.DeepEqual(got, []string{"%d/%m/%Y"}) {
		t.Errorf("eu_date formats %q", got)
	}
	if got := types[8].formats; !reflect.DeepEqual(got, []string{"%Y-%m-%d", "%Y-%m-%d %H:%M"}) {
		t.Errorf("space_dt formats %q", got)
	}
}

func TestMissingTokens(t *testing.T) {
	for _, s := range []string{"", " ", "NA", "na", "N/A", "n/a", "NULL", "Null", "none", "NONE", "-", " - "} {
		if !isMissing(s) {
			t.Errorf("%q should be missing", s)
		}
	}
	for _, s := range []string{"0", "nan", "no", "--", "nil", "n.a."} {
		if isMissing(s) {
			t.Errorf("%q should not be missing", s)
		}
	}
	want := []string{"", "na", "NA", "Na", "n/a", "N/A", "N/a", "null", "NULL", "Null", "none", "NONE", "None", "-"}
	if got := nullStrings(); !reflect.DeepEqual(got, want) {
		t.Errorf("nullStrings: %q", got)
	}
}

func TestDemote(t *testing.T) {
	if got := demote(colType{kind: typeInteger}); got.kind != typeDecimal {
		t.Errorf("integer demotes to %s", got.kind)
	}
	for _, k := range []string{typeDecimal, typeCurrency, typePercent, typeBoolean, typeDate, typeDatetime} {
		if got := demote(colType{kind: k}); got.kind != typeText {
			t.Errorf("%s demotes to %s", k, got.kind)
		}
	}
}

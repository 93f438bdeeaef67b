package ingest

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalizeHeader(t *testing.T) {
	in := []string{" First Name ", "Email", "email", "", "Discount %", "OrderID", "Ünit Price (€)", "e-mail", "EMAIL", "  ", "lead #", "RowID"}
	want := []string{"first_name", "email", "email_2", "column_4", "discount_pct", "order_id", "ünit_price", "e_mail", "email_3", "column_10", "lead_num", "row_id"}
	if got := normalizeHeader(in); !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestNormalizeHeaderAvoidsCollisionWithGeneratedNames(t *testing.T) {
	got := normalizeHeader([]string{"", "column_1", "x", "x", "x_2", "rowid"})
	if got[5] != "rowid_2" {
		t.Fatalf("rowid column named %q; it must not shadow DuckDB's rowid", got[5])
	}
	seen := map[string]bool{}
	for _, n := range got {
		if seen[n] || n == "" {
			t.Fatalf("names not unique and non-empty: %q", got)
		}
		seen[n] = true
	}
}

func TestHeaderSignatureIgnoresOrderButNotNames(t *testing.T) {
	a := headerSignature([]string{"email", "first_name", "revenue"})
	b := headerSignature([]string{"revenue", "email", "first_name"})
	c := headerSignature([]string{"email", "first_name", "amount"})
	if a != b {
		t.Fatal("signature depends on column order")
	}
	if a == c {
		t.Fatal("different columns give the same signature")
	}
	if len(a) != 32 {
		t.Fatalf("signature %q: want 32 hex chars", a)
	}
}

func TestReadHeadSample(t *testing.T) {
	in := "id;note\n1;\"a;b\"\n\n2;\"line1\nline2\"\n3\n"
	s, err := readHeadSample(strings.NewReader(in), ';', 100)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"1", "a;b"}, {"2", "line1\nline2"}, {"3"}}
	if !reflect.DeepEqual(s.header, []string{"id", "note"}) || !reflect.DeepEqual(s.rows, want) {
		t.Fatalf("got %q %q", s.header, s.rows)
	}
	if s, err := readHeadSample(strings.NewReader(""), ',', 10); s != nil || err != nil {
		t.Fatalf("empty input: got %v %v, want nil nil", s, err)
	}
}

package mapping

import (
	"strings"
	"testing"
)

func col(name, typ string, samples ...string) Column {
	return Column{Name: normalize(name), Original: name, Type: typ, Samples: samples}
}

func TestSuggestFromHeaderSynonyms(t *testing.T) {
	cols := []Column{
		col("Order Date", "date"), col("purchase_date", "date"), col("Order_Total", "currency"),
		col("Sex", "text"), col("ST", "text"), col("utm_source", "text"), col("utm_campaign", "text"),
		col("utm_medium", "text"), col("household_income", "text"), col("Own_Rent", "text"), col("kids", "text"),
		col("credit_score_range", "text"), col("buyer_id", "integer"), col("Zip Code", "integer"),
	}
	got := Suggest(cols)
	want := Mapping{
		Date: "order_date", Revenue: "order_total", Gender: "sex", State: "st", Source: "utm_source",
		Campaign: "utm_campaign", Channel: "utm_medium", IncomeRange: "household_income", Homeowner: "own_rent",
		Children: "kids", CreditRating: "credit_score_range", CustomerID: "buyer_id", Zip: "zip_code",
	}
	assertMapping(t, got, want)
}

func TestSuggestVisitorSynonyms(t *testing.T) {
	cols := []Column{col("created_at", "datetime"), col("cookie_id", "text"), col("is_new", "boolean"),
		col("channel", "text"), col("region", "text")}
	assertMapping(t, Suggest(cols), Mapping{Date: "created_at", VisitorID: "cookie_id", IsNewVisitor: "is_new",
		Channel: "channel", State: "region"})
}

func TestSuggestRespectsTypes(t *testing.T) {
	// "amount" is text here (e.g. "n/a" everywhere): revenue needs a number.
	cols := []Column{col("amount", "text"), col("date", "text")}
	got := Suggest(cols)
	if _, ok := got[Revenue]; ok {
		t.Errorf("revenue mapped to a text column: %v", got)
	}
	if _, ok := got[Date]; ok {
		t.Errorf("date mapped to a text column: %v", got)
	}
}

func TestSuggestEachFieldAndColumnOnce(t *testing.T) {
	cols := []Column{col("total", "decimal"), col("revenue", "decimal"), col("amount", "decimal")}
	got := Suggest(cols)
	if got[Revenue] != "revenue" {
		t.Errorf("revenue = %q, want the best synonym (revenue)", got[Revenue])
	}
	seen := map[string]Field{}
	for f, c := range got {
		if other, dup := seen[c]; dup {
			t.Errorf("column %s mapped to both %s and %s", c, other, f)
		}
		seen[c] = f
	}
}

func TestSuggestFromValues(t *testing.T) {
	cols := []Column{
		col("c1", "text", "M", "F", "Female", "Male", "F"),
		col("c2", "text", "Texas", "NY", "california", "OH", "New York"),
		col("c3", "text", "a@x.com", "b.c@y.org", "", "d@z.co.uk"),
		col("c4", "text", "25-34", "35-44", "65+", "18-24"),
		col("signup", "date"),
		col("date_of_birth", "date"),
	}
	assertMapping(t, Suggest(cols), Mapping{Gender: "c1", State: "c2", Email: "c3", AgeRange: "c4", Date: "signup"})
}

func TestSuggestValuesNeedAClearMajority(t *testing.T) {
	cols := []Column{col("notes", "text", "M", "hello", "world", "F", "abc")}
	if got := Suggest(cols); len(got) != 0 {
		t.Errorf("Suggest on free text = %v, want nothing", got)
	}
}

func TestSuggestDoesNotTakeBirthDateAsEventDate(t *testing.T) {
	if got := Suggest([]Column{col("birth_date", "date")}); got[Date] != "" {
		t.Errorf("date = %q, want unmapped", got[Date])
	}
}

func TestGuessKind(t *testing.T) {
	cases := []struct {
		m    Mapping
		cols []string
		want string
	}{
		{Mapping{Revenue: "amount"}, []string{"amount"}, KindBuyers},
		{Mapping{OrderID: "order_id"}, []string{"order_id"}, KindBuyers},
		{Mapping{VisitorID: "cookie_id"}, []string{"cookie_id"}, KindVisitors},
		{Mapping{IsNewVisitor: "is_new"}, []string{"is_new"}, KindVisitors},
		{Mapping{}, []string{"landing_page", "gender"}, KindVisitors},
		{Mapping{}, []string{"Sessions", "state"}, KindVisitors},
		{Mapping{}, []string{"purchase_channel"}, KindBuyers},
		{Mapping{Gender: "gender"}, []string{"first_name", "gender", "state"}, KindLeads},
	}
	for _, c := range cases {
		if got := GuessKind(c.m, c.cols); got != c.want {
			t.Errorf("GuessKind(%v, %v) = %s, want %s", c.m, c.cols, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	cols := []Column{col("order_date", "date"), col("amount", "currency"), col("gender", "text")}
	if err := Validate(Mapping{Date: "order_date", Revenue: "amount", Gender: "gender", Email: ""}, cols); err != nil {
		t.Fatalf("valid mapping refused: %v", err)
	}
	bad := []struct {
		m    Mapping
		want []string
	}{
		{Mapping{"favourite_colour": "gender"}, []string{`unknown field "favourite_colour"`}},
		{Mapping{Revenue: "total"}, []string{"Revenue", `"total"`, "not in this dataset"}},
		{Mapping{Revenue: "gender"}, []string{"Revenue needs a number column", `"gender"`, "text"}},
		{Mapping{Date: "amount"}, []string{"Date needs a date column", `"amount"`, "currency"}},
	}
	for _, b := range bad {
		err := Validate(b.m, cols)
		if err == nil {
			t.Errorf("Validate(%v) = nil, want an error", b.m)
			continue
		}
		for _, w := range b.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Validate(%v) = %q, want it to mention %q", b.m, err, w)
			}
		}
	}
}

func TestCompatibleFollowsFieldKinds(t *testing.T) {
	cols := []Column{col("d", "date"), col("n", "integer"), col("s", "text"), col("b", "boolean")}
	comp := Compatible(cols)
	for _, fi := range Fields {
		for _, c := range cols {
			listed := contains(comp[fi.Field], c.Name)
			if listed != fi.Accepts(c.Type) {
				t.Errorf("Compatible[%s] lists %s = %v, but Accepts(%s) = %v", fi.Field, c.Name, listed, c.Type, !listed)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func assertMapping(t *testing.T, got, want Mapping) {
	t.Helper()
	for f, c := range want {
		if got[f] != c {
			t.Errorf("%s -> %q, want %q", f, got[f], c)
		}
	}
	for f, c := range got {
		if _, ok := want[f]; !ok {
			t.Errorf("unexpected %s -> %q", f, c)
		}
	}
}

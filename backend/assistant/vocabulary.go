package assistant

import (
	"sort"
	"strings"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/mapping"
)

// fieldWords are the words people use for canonical fields.
var fieldWords = map[mapping.Field][]string{
	mapping.Date:          {"date", "order date", "purchase date", "visit date"},
	mapping.Gender:        {"gender", "genders", "sex"},
	mapping.Age:           {"age", "ages"},
	mapping.AgeRange:      {"age", "ages", "age range", "age ranges", "age group", "age groups", "age bracket", "age brackets"},
	mapping.IncomeRange:   {"income", "incomes", "income range", "income ranges", "income bracket", "income brackets", "income level", "income levels", "income group", "income groups"},
	mapping.NetWorth:      {"net worth", "wealth"},
	mapping.CreditRating:  {"credit rating", "credit ratings", "credit score", "credit"},
	mapping.Homeowner:     {"homeowner", "homeowners", "homeownership", "home ownership"},
	mapping.MaritalStatus: {"marital status", "marital"},
	mapping.Children:      {"children", "kids"},
	mapping.State:         {"state", "states", "region", "regions", "location", "locations"},
	mapping.City:          {"city", "cities"},
	mapping.Zip:           {"zip", "zips", "zip code", "zip codes", "postal code", "postal codes"},
	mapping.Channel:       {"channel", "channels", "marketing channel", "marketing channels"},
	mapping.Source:        {"source", "sources", "traffic source", "traffic sources"},
	mapping.Campaign:      {"campaign", "campaigns"},
	mapping.Email:         {"email", "emails", "email address", "email addresses"},
	mapping.Revenue:       {"revenue", "order value", "order amount"},
	mapping.Refund:        {"refund", "refunds", "refund amount"},
	mapping.Cost:          {"cost", "costs", "spend"},
	mapping.OrderID:       {"order id", "order ids"},
	mapping.CustomerID:    {"customer id", "customer ids"},
	mapping.VisitorID:     {"visitor id", "visitor ids"},
}

// columnWords maps phrases (lower-case words) to the dataset's columns:
// each column's own name (and plural), and the words for its mapped field.
func columnWords(d datasets.Dataset) map[string]string {
	out := map[string]string{}
	for _, c := range d.Columns {
		name := strings.ReplaceAll(strings.ToLower(c.Name), "_", " ")
		out[name] = c.Name
		out[name+"s"] = c.Name
	}
	// Field words win over raw names, but a raw column that is mapped
	// keeps its own name too. Numeric age beats age range only for "age".
	fields := make([]string, 0, len(d.Mapping))
	for f := range d.Mapping {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		col := d.Mapping[f]
		if _, ok := column(d, col); !ok {
			continue
		}
		for _, w := range fieldWords[f] {
			if f == mapping.AgeRange && (w == "age" || w == "ages") && d.Mapping[mapping.Age] != "" {
				continue
			}
			out[w] = col
		}
	}
	return out
}

// matchColumn finds the longest column phrase of unused words starting at i.
func matchColumn(ts tokens, i int, words map[string]string) (string, int) {
	for n := 3; n >= 1; n-- {
		if !ts.free(i, n) {
			continue
		}
		_, low := ts.phrase(i, n)
		if col, ok := words[low]; ok {
			return col, n
		}
	}
	return "", 0
}

package mapping

import (
	"leadnavigator/backend/usstates"
	"regexp"
	"sort"
	"strings"
)

// synonyms lists, per field, header names (normalized: lower case, words
// joined by "_") that mean that field, best first. A header matching an
// earlier synonym wins over one matching a later synonym, so a file with
// both "order_date" and "created_at" maps date to order_date.
var synonyms = map[Field][]string{
	Date: {"date", "order_date", "purchase_date", "transaction_date", "visit_date", "sale_date", "event_date",
		"session_date", "order_datetime", "purchased_at", "ordered_at", "visited_at", "created_at", "created",
		"timestamp", "datetime", "date_time", "time"},
	CustomerID: {"customer_id", "buyer_id", "customer", "buyer", "customer_number", "cust_id", "client_id",
		"account_id", "member_id", "user_id"},
	Email:        {"email", "email_address", "e_mail", "customer_email", "buyer_email", "mail"},
	VisitorID:    {"visitor_id", "visitor", "session_user", "cookie_id", "cookie", "anonymous_id", "device_id", "uid"},
	IsNewVisitor: {"is_new_visitor", "new_visitor", "is_new", "visitor_type", "new_vs_returning", "new_returning", "first_visit"},
	Channel: {"channel", "marketing_channel", "utm_medium", "medium", "traffic_channel", "channel_grouping",
		"default_channel_grouping"},
	Source:   {"source", "utm_source", "traffic_source", "lead_source", "referral_source", "referrer"},
	Campaign: {"campaign", "utm_campaign", "campaign_name"},
	OrderID:  {"order_id", "order_number", "order_no", "order_num", "transaction_id", "invoice_id", "invoice", "order"},
	Revenue: {"revenue", "order_total", "amount", "total", "sales", "order_amount", "order_value", "gross_revenue",
		"total_amount", "sale_amount", "purchase_amount", "gross_sales", "subtotal", "price", "value"},
	Refund:        {"refund", "refunds", "refund_amount", "refunded", "refunded_amount"},
	Cost:          {"cost", "ad_cost", "spend", "ad_spend", "acquisition_cost", "marketing_cost", "cac", "cpa"},
	Gender:        {"gender", "sex"},
	Age:           {"age", "age_years"},
	AgeRange:      {"age_range", "age_group", "age_bracket", "age_band", "age"},
	IncomeRange:   {"income_range", "household_income", "income", "hh_income", "income_bracket", "income_level", "estimated_income"},
	NetWorth:      {"net_worth", "networth", "net_worth_range", "wealth", "wealth_range"},
	CreditRating:  {"credit_rating", "credit_score_range", "credit", "credit_score", "credit_range", "credit_tier"},
	Homeowner:     {"homeowner", "home_owner", "own_rent", "homeowner_status", "home_ownership", "owner_renter"},
	MaritalStatus: {"marital_status", "marital", "married", "marriage_status"},
	Children:      {"children", "kids", "presence_of_children", "has_children", "child_present", "number_of_children"},
	State:         {"state", "st", "state_code", "region", "province", "state_name"},
	City:          {"city", "town", "city_name"},
	Zip:           {"zip", "zip_code", "zipcode", "postal_code", "postcode", "postal", "zip5"},
}

// keywords are header words that suggest a field when no synonym matches
// exactly ("billing_email" -> email). Only unambiguous words are listed.
var keywords = map[Field][]string{
	Date:      {"date"},
	Email:     {"email"},
	VisitorID: {"visitor", "cookie"},
	Campaign:  {"campaign"},
	Revenue:   {"revenue"},
	Refund:    {"refund", "refunded"},
	Gender:    {"gender"},
	State:     {"state"},
	Zip:       {"zip", "postcode"},
	Channel:   {"channel"},
}

// notDate are header words that rule a date column out as the event date.
var notDate = map[string]bool{"birth": true, "dob": true, "birthday": true, "expiry": true, "expires": true, "updated": true, "modified": true}

// Match scores: an exact synonym beats a keyword, which beats recognizing
// values, which beats "the only date column".
const (
	scoreSynonym = 1000
	scoreKeyword = 500
	scoreValues  = 300
	scoreAnyDate = 100
)

type candidate struct {
	field  Field
	column int
	score  int
}

// Suggest proposes a mapping from header names and sample values. Each
// field is used at most once, each column at most once, and only for a
// column whose type fits the field.
func Suggest(cols []Column) Mapping {
	var cands []candidate
	for i, c := range cols {
		cands = append(cands, headerCandidates(i, c)...)
		cands = append(cands, valueCandidates(i, c)...)
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].score != cands[b].score {
			return cands[a].score > cands[b].score
		}
		return cands[a].column < cands[b].column
	})
	m := Mapping{}
	usedColumn := map[int]bool{}
	for _, c := range cands {
		if _, taken := m[c.field]; taken || usedColumn[c.column] {
			continue
		}
		info, _ := Info(c.field)
		if !info.Accepts(cols[c.column].Type) {
			continue
		}
		m[c.field] = cols[c.column].Name
		usedColumn[c.column] = true
	}
	return m
}

// headerCandidates matches a column's names against synonyms and keywords.
func headerCandidates(i int, c Column) []candidate {
	var out []candidate
	names := []string{normalize(c.Name), normalize(c.Original)}
	for field, syns := range synonyms {
		best := -1
		for rank, s := range syns {
			for _, n := range names {
				if n != "" && (n == s || strings.ReplaceAll(n, "_", "") == strings.ReplaceAll(s, "_", "")) {
					if best < 0 || rank < best {
						best = rank
					}
				}
			}
		}
		if best >= 0 {
			out = append(out, candidate{field, i, scoreSynonym - best})
		}
	}
	words := wordsOf(names)
	for field, kws := range keywords {
		for _, k := range kws {
			if words[k] && !(field == Date && hasAny(words, notDate)) {
				out = append(out, candidate{field, i, scoreKeyword})
				break
			}
		}
	}
	return out
}

// valueCandidates recognizes gender, state and email columns by their
// values, and offers any date column as the event date of last resort.
func valueCandidates(i int, c Column) []candidate {
	var out []candidate
	switch KindOf(c.Type) {
	case "date":
		if !hasAny(wordsOf([]string{normalize(c.Name), normalize(c.Original)}), notDate) {
			out = append(out, candidate{Date, i, scoreAnyDate})
		}
	case "text":
		checks := []struct {
			field Field
			ok    func(string) bool
		}{{Gender, isGender}, {State, isState}, {Email, isEmail}, {AgeRange, isAgeRange}}
		for _, chk := range checks {
			if mostly(c.Samples, chk.ok) {
				out = append(out, candidate{chk.field, i, scoreValues})
			}
		}
	}
	return out
}

// mostly reports whether at least 80% of the non-empty samples (and at
// least three of them) satisfy ok.
func mostly(samples []string, ok func(string) bool) bool {
	n, hits := 0, 0
	for _, s := range samples {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		n++
		if ok(s) {
			hits++
		}
	}
	return n >= 3 && hits*5 >= n*4
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// normalize lower-cases a header and joins its words with "_".
func normalize(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "_"), "_")
}

func wordsOf(names []string) map[string]bool {
	words := map[string]bool{}
	for _, n := range names {
		for _, w := range strings.Split(n, "_") {
			if w != "" {
				words[w] = true
			}
		}
	}
	return words
}

func hasAny(words, set map[string]bool) bool {
	for w := range words {
		if set[w] {
			return true
		}
	}
	return false
}

var genders = map[string]bool{"m": true, "f": true, "male": true, "female": true, "other": true,
	"u": true, "unknown": true, "non-binary": true, "nonbinary": true, "x": true}

func isGender(s string) bool { return genders[strings.ToLower(s)] }

var emailShape = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$`)

func isEmail(s string) bool { return emailShape.MatchString(s) }

var ageRangeShape = regexp.MustCompile(`^\s*\d{1,3}\s*(-|–|to)\s*\d{1,3}\s*$|^\s*\d{1,3}\s*\+\s*$`)

func isAgeRange(s string) bool { return ageRangeShape.MatchString(s) }

func isState(s string) bool { return usstates.Code(s) != "" }

// Dataset kinds as GuessKind returns them (same values as package datasets).
const (
	KindBuyers   = "buyers"
	KindVisitors = "visitors"
	KindLeads    = "leads"
)

var (
	buyerWords   = map[string]bool{"order": true, "orders": true, "purchase": true, "purchased": true, "buyer": true, "transaction": true, "revenue": true}
	visitorWords = map[string]bool{"page": true, "pages": true, "pageview": true, "pageviews": true, "session": true, "sessions": true,
		"visit": true, "visits": true, "visitor": true, "landing": true, "bounce": true, "bounced": true}
)

// GuessKind says whether a file looks like buyers (revenue or orders),
// visitors (visitor ids, new-visitor flags, page/session columns) or leads
// (anything else, e.g. a demographic list).
func GuessKind(m Mapping, colNames []string) string {
	words := map[string]bool{}
	for _, n := range colNames {
		for w := range wordsOf([]string{normalize(n)}) {
			words[w] = true
		}
	}
	switch {
	case m[Revenue] != "" || m[OrderID] != "":
		return KindBuyers
	case m[VisitorID] != "" || m[IsNewVisitor] != "" || hasAny(words, visitorWords):
		return KindVisitors
	case hasAny(words, buyerWords):
		return KindBuyers
	}
	return KindLeads
}
